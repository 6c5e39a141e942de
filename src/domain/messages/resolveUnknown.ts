import type { Selectable } from "kysely";
import { toIso } from "../../clock.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { MessagesTable } from "../../db/schema.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { addTimelineEntry } from "../timeline/timeline.js";
import { leadContact } from "./optOuts.js";
import { claimedMessage, messageTimelineData, recordAccepted } from "./recordOutcome.js";
import { type Resolution, resolutionData } from "./resolution.js";
import { notifyMessagesDue } from "./wakeups.js";

export type MessageRow = Selectable<MessagesTable>;

/** Who settles an `unknown` message automatically (an operator is named by their API key's id). */
export const RECONCILER = "reconciler";

export interface ResolveInput {
  orgId: string;
  messageId: string;
  decision: Resolution["decision"];
  decidedBy: string;
  note?: string | undefined;
  /** `sent`: the provider's id for it, when known, and the provider that holds it. */
  providerMessageId?: string | undefined;
  provider?: string | undefined;
  /** `resend` by the reconciler: allowed once per message, never a second time. */
  automatic?: boolean | undefined;
}

function notUnknown(status: string): DomainError {
  return new DomainError(
    "CONFLICT",
    `Only an \`unknown\` message can be resolved; this one is \`${status}\`.`,
    [],
    { status },
  );
}

async function loadUnknown(tx: Tx, orgId: string, messageId: string): Promise<MessageRow> {
  const row = await tx
    .selectFrom("messages")
    .selectAll()
    .where("id", "=", messageId)
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  if (row === undefined) throw notFound("Message");
  if (row.status !== "unknown") throw notUnknown(row.status);
  return row;
}

async function currentStatus(ctx: DomainContext, messageId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom("messages")
    .select("status")
    .where("id", "=", messageId)
    .executeTakeFirst();
  return row?.status ?? "gone";
}

/** When the provider call began (our clock): the best answer to "when was it accepted". */
export function providerCallTime(row: MessageRow): Date | undefined {
  const at = row.provider_call_at ?? row.claimed_at;
  return at === null ? undefined : new Date(at);
}

/** Sent after all: exactly what an accepted send records (timeline, sequence, `message.sent`). */
async function resolveSent(ctx: DomainContext, input: ResolveInput, resolution: Resolution): Promise<void> {
  const row = await loadUnknown(ctx.db, input.orgId, input.messageId);
  const lead = await ctx.db
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .select([
      "leads.id",
      "leads.org_id",
      "leads.phone",
      "leads.email",
      "leads.external_lead_id",
      "profiles.name",
    ])
    .where("leads.id", "=", row.lead_id)
    .executeTakeFirstOrThrow();
  let recorded: string[];
  try {
    recorded = await recordAccepted(ctx, [
      {
        // An `unknown` row keeps the claim it was sent under; recordAccepted matches it.
        message: claimedMessage(row, row.claimed_by ?? ""),
        lead: leadContact(lead),
        profile: lead.name,
        provider: input.provider ?? row.provider,
        outcome: { providerMessageId: input.providerMessageId ?? null },
        acceptedAt: providerCallTime(row) ?? resolution.decidedAt,
        resolution,
      },
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new DomainError("CONFLICT", "That provider message id is already recorded for another message.");
  }
  if (recorded.length === 0) throw notUnknown(await currentStatus(ctx, row.id));
}

/** Failed: final, on the timeline with who decided. The sequence stays where it is, as for a refusal. */
async function resolveFailed(ctx: DomainContext, input: ResolveInput, resolution: Resolution): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadUnknown(tx, input.orgId, input.messageId);
    const m = claimedMessage(row, row.claimed_by ?? "");
    const timelineId = await addTimelineEntry(tx, {
      orgId: m.orgId,
      leadId: m.leadId,
      type: m.channel === "sms" ? "MESSAGE" : "EMAIL",
      at: resolution.decidedAt,
      data: { ...messageTimelineData(m, "OUTBOUND", "failed"), ...resolutionData(resolution) },
    });
    const note = resolution.note === undefined ? "" : `: ${resolution.note}`;
    const result = await tx
      .updateTable("messages")
      .set({
        status: "failed",
        error_message: `resolved as failed by ${resolution.decidedBy}${note}`,
        timeline_id: timelineId,
        next_reconcile_at: null,
        updated_at: toIso(resolution.decidedAt),
      })
      .where("id", "=", row.id)
      .where("status", "=", "unknown")
      .executeTakeFirst();
    // Rolls the timeline entry back too.
    if (Number(result.numUpdatedRows) === 0) throw notUnknown("changed meanwhile");
  });
}

/**
 * Queued again, due now, as a fresh claim would find it (no provider call mark). The reconciler
 * may do this once per message (`auto_resent_at`); an operator, whenever they decide.
 */
async function resolveResend(ctx: DomainContext, input: ResolveInput, resolution: Resolution): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadUnknown(tx, input.orgId, input.messageId);
    if (input.automatic && row.auto_resent_at !== null) {
      throw new DomainError("CONFLICT", "This message was already queued again automatically once.");
    }
    const m = claimedMessage(row, row.claimed_by ?? "");
    await addTimelineEntry(tx, {
      orgId: m.orgId,
      leadId: m.leadId,
      type: m.channel === "sms" ? "MESSAGE" : "EMAIL",
      at: resolution.decidedAt,
      data: { ...messageTimelineData(m, "OUTBOUND", "unknown"), ...resolutionData(resolution) },
    });
    const at = toIso(resolution.decidedAt);
    let update = tx
      .updateTable("messages")
      .set({
        status: "queued",
        due_at: at,
        claimed_by: null,
        claimed_at: null,
        provider_call_at: null,
        next_reconcile_at: null,
        updated_at: at,
        ...(input.automatic ? { auto_resent_at: at } : {}),
      })
      .where("id", "=", row.id)
      .where("status", "=", "unknown");
    if (input.automatic) update = update.where("auto_resent_at", "is", null);
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notUnknown("changed meanwhile");
    await notifyMessagesDue(tx, ctx.capabilities);
  });
  ctx.wakeMessageSender();
}

/**
 * Settles an `unknown` message: `sent` (it went out after all), `failed`, or `resend` (queue it
 * again now). Only an `unknown` message of the org can be settled (404 / 409 otherwise); the
 * timeline records who decided and what. Returns the message as it is now.
 */
export async function resolveUnknownMessage(ctx: DomainContext, input: ResolveInput): Promise<MessageRow> {
  const resolution: Resolution = {
    decision: input.decision,
    decidedBy: input.decidedBy,
    note: input.note,
    decidedAt: ctx.clock.now(),
  };
  switch (input.decision) {
    case "sent":
      await resolveSent(ctx, input, resolution);
      break;
    case "failed":
      await resolveFailed(ctx, input, resolution);
      break;
    case "resend":
      await resolveResend(ctx, input, resolution);
      break;
  }
  return ctx.db
    .selectFrom("messages")
    .selectAll()
    .where("id", "=", input.messageId)
    .executeTakeFirstOrThrow();
}
