import { toIso } from "../../clock.js";
import type { MessageChannel } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { type FollowUpConfig, type FollowUpStepConfig, NURTURE, STOPPED } from "../leads/followUpConfig.js";
import type { Settings } from "../settings/settingsSchema.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The message channel of a step: `text` is SMS; `call` has no message channel (voice is not built). */
export function stepChannel(step: FollowUpStepConfig): MessageChannel | undefined {
  if (step.channel === "text") return "sms";
  if (step.channel === "email") return "email";
  return undefined;
}

async function leadConfig(tx: Tx, leadId: string) {
  const row = await tx
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .select([
      "leads.follow_up_config",
      "profiles.follow_up_config as profile_config",
      "leads.follow_up_cycle",
      "leads.follow_up_step",
    ])
    .where("leads.id", "=", leadId)
    .executeTakeFirstOrThrow();
  const config = JSON.parse(row.follow_up_config ?? row.profile_config) as FollowUpConfig;
  return { config, cycle: row.follow_up_cycle, step: row.follow_up_step };
}

/**
 * After an outbound message that expects an answer (initial outreach, sendMessage with
 * scheduleFollowUps): a new cycle at step 1, due after its hours; stopped when there are no steps.
 */
export async function startSequence(tx: Tx, leadId: string, now: Date): Promise<void> {
  const { config, cycle } = await leadConfig(tx, leadId);
  const first = config["1"];
  await tx
    .updateTable("leads")
    .set({
      follow_up_cycle: cycle + 1,
      follow_up_step: first === undefined ? STOPPED : 1,
      next_follow_up_at: first === undefined ? null : toIso(new Date(now.getTime() + first.hours * HOUR_MS)),
      updated_at: toIso(now),
    })
    .where("id", "=", leadId)
    .execute();
}

/**
 * After step N of `cycle` went out: step N+1 after its hours; after the last step, long-term
 * nurture when enabled, else stopped. A restart or a manual change in between wins (the lead is
 * no longer at that cycle and step), so nothing is overwritten.
 */
export async function advanceAfterStep(
  tx: Tx,
  leadId: string,
  /** Nurture messages carry no cycle: any cycle still in nurture moves on. */
  sent: { cycle: number | null; step: number },
  settings: Settings,
  now: Date,
): Promise<void> {
  const { config, cycle, step } = await leadConfig(tx, leadId);
  if ((sent.cycle !== null && cycle !== sent.cycle) || step !== sent.step) return;
  const next = sent.step === NURTURE ? undefined : config[String(sent.step + 1)];
  const nurture = settings.longTermFollowUps;
  const [followUpStep, dueAt] =
    next !== undefined
      ? [sent.step + 1, new Date(now.getTime() + next.hours * HOUR_MS)]
      : nurture.enabled
        ? [NURTURE, new Date(now.getTime() + nurture.intervalDays * DAY_MS)]
        : [STOPPED, undefined];
  await tx
    .updateTable("leads")
    .set({
      follow_up_step: followUpStep,
      next_follow_up_at: dueAt === undefined ? null : toIso(dueAt),
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
