import { toIso } from "../../clock.js";
import { inJsonList, updateFromJsonRows } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { MessageChannel } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { type FollowUpConfig, type FollowUpStepConfig, NURTURE, STOPPED } from "../leads/followUpConfig.js";
import { effectiveFollowUpConfig } from "../leads/leadView.js";
import type { Settings } from "../settings/settingsSchema.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The message channel of a step: `text` is SMS; `call` has no message channel (voice is not built). */
export function stepChannel(step: FollowUpStepConfig): MessageChannel | undefined {
  if (step.channel === "text") return "sms";
  if (step.channel === "email") return "email";
  return undefined;
}

/** Where a lead's sequence stands: its steps, cycle, step and timer. */
export interface SequenceState {
  config: FollowUpConfig;
  cycle: number;
  step: number;
  nextAt: Date | undefined;
}

function sequenceRows(tx: Tx) {
  return tx
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .select([
      "leads.id",
      "leads.profile_id",
      "leads.follow_up_config",
      "profiles.follow_up_config as profile_follow_up_config",
      "leads.follow_up_cycle",
      "leads.follow_up_step",
      "leads.next_follow_up_at",
    ]);
}

function toState(row: Awaited<ReturnType<ReturnType<typeof sequenceRows>["executeTakeFirstOrThrow"]>>) {
  return {
    config: effectiveFollowUpConfig(row),
    cycle: row.follow_up_cycle,
    step: row.follow_up_step,
    nextAt: row.next_follow_up_at === null ? undefined : new Date(row.next_follow_up_at),
  };
}

async function leadConfig(tx: Tx, leadId: string): Promise<SequenceState> {
  return toState(await sequenceRows(tx).where("leads.id", "=", leadId).executeTakeFirstOrThrow());
}

/**
 * A new cycle at step 1, due after its hours; stopped when there are no steps. Used after an
 * outbound message that expects an answer (initial outreach, sendMessage with scheduleFollowUps).
 */
export function restarted(state: SequenceState, now: Date): SequenceState {
  const first = state.config["1"];
  return {
    config: state.config,
    cycle: state.cycle + 1,
    step: first === undefined ? STOPPED : 1,
    nextAt: first === undefined ? undefined : new Date(now.getTime() + first.hours * HOUR_MS),
  };
}

/**
 * After step N of `cycle` went out: step N+1 after its hours; after the last step, long-term
 * nurture when enabled, else stopped. Undefined when a restart or a manual change came in between
 * (the lead is no longer at that cycle and step): nothing is overwritten.
 */
export function advanced(
  state: SequenceState,
  /** Nurture messages carry no cycle: any cycle still in nurture moves on. */
  sent: { cycle: number | null; step: number },
  settings: Settings,
  now: Date,
): SequenceState | undefined {
  if ((sent.cycle !== null && state.cycle !== sent.cycle) || state.step !== sent.step) return undefined;
  const next = sent.step === NURTURE ? undefined : state.config[String(sent.step + 1)];
  const nurture = settings.longTermFollowUps;
  const [step, nextAt] =
    next !== undefined
      ? [sent.step + 1, new Date(now.getTime() + next.hours * HOUR_MS)]
      : nurture.enabled
        ? [NURTURE, new Date(now.getTime() + nurture.intervalDays * DAY_MS)]
        : [STOPPED, undefined];
  return { config: state.config, cycle: state.cycle, step, nextAt };
}

/** The sequence state of each lead, read in one query. */
export async function loadSequences(
  tx: Tx,
  backend: { capabilities: Capabilities },
  leadIds: readonly string[],
): Promise<Map<string, SequenceState>> {
  if (leadIds.length === 0) return new Map();
  const rows = await sequenceRows(tx)
    .where(inJsonList(backend, "leads.id", [...new Set(leadIds)]))
    .execute();
  return new Map(rows.map((row) => [row.id, toState(row)]));
}

const WHERE_IT_WAS = [
  { name: "id", type: "text" },
  { name: "follow_up_cycle", type: "integer" },
  { name: "follow_up_step", type: "integer" },
] as const;
const WHERE_IT_GOES = [
  { name: "follow_up_cycle", type: "integer" },
  { name: "follow_up_step", type: "integer" },
  { name: "next_follow_up_at", type: "text" },
  { name: "updated_at", type: "text" },
] as const;

/**
 * Writes new sequence states in one statement. Each lead moves only if it is still where it was
 * read (`from`): a change committed in between by someone else wins.
 */
export async function saveSequences(
  tx: Tx,
  backend: { capabilities: Capabilities },
  moves: readonly { leadId: string; from: SequenceState; to: SequenceState }[],
  now: Date,
): Promise<void> {
  if (moves.length === 0) return;
  const at = toIso(now);
  await updateFromJsonRows(
    backend,
    "leads",
    WHERE_IT_WAS,
    WHERE_IT_GOES,
    moves.map(({ leadId, from, to }) => ({
      match: { id: leadId, follow_up_cycle: from.cycle, follow_up_step: from.step },
      set: {
        follow_up_cycle: to.cycle,
        follow_up_step: to.step,
        next_follow_up_at: to.nextAt === undefined ? null : toIso(to.nextAt),
        updated_at: at,
      },
    })),
  ).execute(tx);
}

/** startSequence for one lead, in its own statements (switching profiles). */
export async function startSequence(tx: Tx, leadId: string, now: Date): Promise<void> {
  const next = restarted(await leadConfig(tx, leadId), now);
  await tx
    .updateTable("leads")
    .set({
      follow_up_cycle: next.cycle,
      follow_up_step: next.step,
      next_follow_up_at: next.nextAt === undefined ? null : toIso(next.nextAt),
      updated_at: toIso(now),
    })
    .where("id", "=", leadId)
    .execute();
}

/** Stops the pending step at once (opt-out on its channel, isAiOn off, …); the step number stays. */
export async function cancelPendingStep(tx: Tx, leadId: string, onlyChannel?: MessageChannel): Promise<void> {
  if (onlyChannel !== undefined) {
    const { config, step } = await leadConfig(tx, leadId);
    const stepConfig = step >= 1 ? config[String(step)] : undefined;
    if (stepConfig !== undefined && stepChannel(stepConfig) !== onlyChannel) return;
  }
  await tx.updateTable("leads").set({ next_follow_up_at: null }).where("id", "=", leadId).execute();
}
