import { type Selectable, type SqlBool, sql } from "kysely";
import { toIso } from "../../clock.js";
import { inJsonList, updateFromJsonRows } from "../../db/bulk.js";
import type { MessageChannel, MessagesTable } from "../../db/schema.js";
import type { DomainContext, Tx } from "../context.js";
import { messageSentData } from "../events/catalog.js";
import { inTransaction } from "../events/transaction.js";
import {
  advanced,
  loadSequences,
  restarted,
  type SequenceState,
  saveSequences,
} from "../followups/sequence.js";
import { lockLeadsInOrder } from "../leads/lockLeads.js";
import { loadSettings, settingsCache } from "../settings/settings.js";
import { addTimelineEntries, addTimelineEntry } from "../timeline/timeline.js";
import { type LeadContact, optOut } from "./optOuts.js";
import type { SendOutcome } from "./providers.js";
import { type Resolution, resolutionData } from "./resolution.js";

export interface ClaimedMessage {
  id: string;
  orgId: string;
  leadId: string;
  channel: MessageChannel;
  text: string;
  subject: string | null;
  followUpStep: number | null;
  followUpCycle: number | null;
  /** Sent as conversation (initial outreach, scheduleFollowUps): the sequence restarts at step 1. */
  scheduleFollowUps: boolean;
  attempts: number;
  overrideBusinessHours: boolean;
  claimedBy: string;
  /** The assistant wrote it (timeline `isAiGenerated`). */
  aiGenerated: boolean;
}

/** A message row as a ClaimedMessage of the claim it is under. */
export function claimedMessage(
  row: Pick<
    Selectable<MessagesTable>,
    | "id"
    | "org_id"
    | "lead_id"
    | "channel"
    | "text"
    | "subject"
    | "follow_up_step"
    | "follow_up_cycle"
    | "schedule_follow_ups"
    | "override_business_hours"
    | "attempts"
    | "author"
  >,
  claimedBy: string,
): ClaimedMessage {
  return {
    id: row.id,
    orgId: row.org_id,
    leadId: row.lead_id,
    channel: row.channel,
    text: row.text,
    subject: row.subject,
    followUpStep: row.follow_up_step,
    followUpCycle: row.follow_up_cycle,
    scheduleFollowUps: row.schedule_follow_ups === 1,
    attempts: row.attempts,
    overrideBusinessHours: row.override_business_hours === 1,
    claimedBy,
    aiGenerated: row.author === "assistant",
  };
}

const RETRY_BASE_MS = 30_000;
const MAX_ATTEMPTS = 5;

export function messageTimelineData(m: ClaimedMessage, direction: "OUTBOUND" | "INBOUND", status: string) {
  return {
    direction,
    content:
      m.channel === "email" && m.subject !== null ? { text: m.text, subject: m.subject } : { text: m.text },
    isAiGenerated: m.aiGenerated,
    deliveryChannel: m.channel === "sms" ? "SMS" : "EMAIL",
    status,
    messageId: m.id,
    ...(m.overrideBusinessHours ? { overrideBusinessHours: true } : {}),
  };
}

/**
 * Only the claim's holder may record the answer. It may also arrive after the lease made the
 * message `unknown` (a very slow provider): the real answer then replaces the doubt.
 */
function ownClaim(tx: Tx, m: ClaimedMessage) {
  return tx
    .updateTable("messages")
    .where("id", "=", m.id)
    .where("status", "in", ["sending", "unknown"])
    .where("claimed_by", "=", m.claimedBy);
}

export async function recordBlocked(ctx: DomainContext, m: ClaimedMessage, reason: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const now = ctx.clock.now();
    const timelineId = await addTimelineEntry(tx, {
      orgId: m.orgId,
      leadId: m.leadId,
      type: "COMPLIANCE_BLOCKED",
      at: now,
      data: { reason, ...messageTimelineData(m, "OUTBOUND", "blocked") },
    });
    await ownClaim(tx, m)
      .set({ status: "blocked", blocked_reason: reason, timeline_id: timelineId, updated_at: toIso(now) })
      .execute();
  });
}

/** The provider took it: `sent`, on the timeline, and `message.sent` in the same transaction. */
export interface AcceptedSend {
  message: ClaimedMessage;
  lead: LeadContact;
  profile: string;
  provider: string | null;
  /** A person may settle an `unknown` message as sent without knowing the provider's id. */
  outcome: { providerMessageId: string | null };
  /** When the provider accepted it: the moment `message.sent` reports. */
  acceptedAt: Date;
  /** Set when an `unknown` message is settled as sent; the timeline entry is dated by the decision. */
  resolution?: Resolution | undefined;
}

const SENT_MATCH = [
  { name: "id", type: "text" },
  { name: "claimed_by", type: "text" },
] as const;
const SENT_SET = [
  { name: "status", type: "text" },
  { name: "provider", type: "text" },
  { name: "provider_message_id", type: "text" },
  { name: "sent_at", type: "text" },
  { name: "timeline_id", type: "text" },
  { name: "updated_at", type: "text" },
] as const;

/**
 * The sends whose message is still open (`sending` or `unknown`) under the same claim, locked for
 * this transaction: a send recorded twice (a late answer and the reconciler, or an operator) gets
 * one timeline entry, one sequence move and one `message.sent`, from whichever commits first.
 */
async function stillOpen(tx: Tx, ctx: DomainContext, sends: AcceptedSend[]): Promise<AcceptedSend[]> {
  let query = tx
    .selectFrom("messages")
    .select(["id", "status", "claimed_by"])
    .where(
      inJsonList(
        ctx,
        "id",
        sends.map((s) => s.message.id),
      ),
    );
  // PostgreSQL: a concurrent recorder waits here and then reads the row as the first one left it.
  // SQLite: the transaction already holds the single write lock.
  if (ctx.capabilities.rowLocks) query = query.forUpdate();
  const open = new Map(
    (await query.execute())
      .filter((r) => r.status === "sending" || r.status === "unknown")
      .map((r) => [r.id, r.claimed_by]),
  );
  return sends.filter(({ message: m }) => open.get(m.id) === m.claimedBy);
}

/**
 * The provider took them: each becomes `sent`, goes on the timeline, moves its follow-up sequence
 * on, and is announced by `message.sent`, all in one transaction for the whole batch, written
 * with a few statements whatever its size (one commit instead of one per message). Returns the
 * ids recorded: a message someone else settled meanwhile is left alone.
 */
export async function recordAccepted(ctx: DomainContext, all: AcceptedSend[]): Promise<string[]> {
  if (all.length === 0) return [];
  return inTransaction(ctx, async (tx, emit) => {
    const sends = await stillOpen(tx, ctx, all);
    if (sends.length === 0) return [];
    // Before anything that touches them: even a timeline row's foreign key check locks its lead.
    await lockLeadsInOrder(tx, ctx, [...new Set(sends.map(({ message: m }) => m.leadId))]);
    const recordedAt = (s: AcceptedSend) => s.resolution?.decidedAt ?? s.acceptedAt;
    const timelineIds = await addTimelineEntries(
      tx,
      ctx,
      sends.map((s) => ({
        orgId: s.message.orgId,
        leadId: s.message.leadId,
        type: s.message.channel === "sms" ? "MESSAGE" : "EMAIL",
        // A settled message goes on the timeline when it is settled, so pollers reading by
        // updatedAt see it; when it went out is in `message.sent` and the message's sentAt.
        at: recordedAt(s),
        data: {
          ...messageTimelineData(s.message, "OUTBOUND", "sent"),
          ...(s.resolution === undefined ? {} : resolutionData(s.resolution)),
        },
      })),
    );
    // Only the claim's holder may record the answer (see ownClaim).
    await updateFromJsonRows(
      ctx,
      "messages",
      SENT_MATCH,
      SENT_SET,
      sends.map((s, i) => ({
        match: { id: s.message.id, claimed_by: s.message.claimedBy },
        set: {
          status: "sent",
          provider: s.provider,
          provider_message_id: s.outcome.providerMessageId,
          sent_at: toIso(s.acceptedAt),
          timeline_id: timelineIds[i] ?? null,
          updated_at: toIso(recordedAt(s)),
        },
      })),
      sql<SqlBool>`${sql.ref("messages.status")} in ('sending', 'unknown')`,
    ).execute(tx);

    const lastActivity = new Map<string, string>();
    for (const { message: m, acceptedAt } of sends) {
      const at = toIso(acceptedAt);
      if ((lastActivity.get(m.leadId) ?? "") < at) lastActivity.set(m.leadId, at);
    }
    await updateFromJsonRows(
      ctx,
      "leads",
      [{ name: "id", type: "text" }],
      [{ name: "last_activity_at", type: "text" }],
      [...lastActivity].map(([id, at]) => ({ match: { id }, set: { last_activity_at: at } })),
    ).execute(tx);

    // Sequences move in send order, each from where the previous send left it.
    const moving = sends.filter(({ message: m }) => m.followUpStep !== null || m.scheduleFollowUps);
    const read = await loadSequences(
      tx,
      ctx,
      moving.map(({ message: m }) => m.leadId),
    );
    const current = new Map(read);
    const settings = settingsCache(tx);
    for (const { message: m, acceptedAt: now } of moving) {
      const state = current.get(m.leadId);
      if (state === undefined) continue;
      const next =
        m.followUpStep !== null
          ? advanced(state, { cycle: m.followUpCycle, step: m.followUpStep }, await settings(m.orgId), now)
          : restarted(state, now);
      if (next !== undefined) current.set(m.leadId, next);
    }
    const moves = [...current]
      .filter(([leadId, to]) => read.get(leadId) !== to)
      .map(([leadId, to]) => ({ leadId, from: read.get(leadId) as SequenceState, to }));
    await saveSequences(tx, ctx, moves, ctx.clock.now());

    for (const { message: m, lead, profile, acceptedAt: now } of sends) {
      await emit({
        orgId: m.orgId,
        leadId: m.leadId,
        type: "message.sent",
        at: now,
        data: messageSentData({
          lead,
          channel: m.channel,
          profile,
          followUpStep: m.followUpStep,
          ...(m.channel === "email" && m.subject !== null ? { subject: m.subject } : {}),
          text: m.text,
        }),
      });
    }
    return sends.map((s) => s.message.id);
  });
}

/** A final refusal. Twilio's 21610 means the carrier has the lead opted out: so do we. */
export async function recordRejected(
  ctx: DomainContext,
  m: ClaimedMessage,
  lead: LeadContact,
  outcome: Extract<SendOutcome, { kind: "rejected" }>,
): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    const now = ctx.clock.now();
    const timelineId = await addTimelineEntry(tx, {
      orgId: m.orgId,
      leadId: m.leadId,
      type: m.channel === "sms" ? "MESSAGE" : "EMAIL",
      at: now,
      data: {
        ...messageTimelineData(m, "OUTBOUND", "failed"),
        error: { code: outcome.code, message: outcome.message },
      },
    });
    await ownClaim(tx, m)
      .set({
        status: "failed",
        error_code: outcome.code,
        error_message: outcome.message,
        timeline_id: timelineId,
        updated_at: toIso(now),
      })
      .execute();
    if (outcome.optedOut && m.channel === "sms") {
      const settings = await loadSettings(tx, m.orgId);
      await optOut(
        tx,
        emit,
        lead,
        {
          channel: "sms",
          reason: null,
          isTwilioOptOut: true,
          isDoNotContact: false,
          linked: settings.linkedOptOut,
        },
        now,
      );
    }
  });
}

/** The provider surely did not take it: back to the queue with backoff, a few times. */
export async function recordRetryable(
  ctx: DomainContext,
  m: ClaimedMessage,
  outcome: Extract<SendOutcome, { kind: "retryable" }>,
): Promise<void> {
  const now = ctx.clock.now();
  const giveUp = m.attempts >= MAX_ATTEMPTS;
  const wait = Math.max(outcome.retryAfterMs ?? 0, RETRY_BASE_MS * 2 ** (m.attempts - 1));
  await ctx.db
    .updateTable("messages")
    .where("id", "=", m.id)
    .where("status", "=", "sending")
    .where("claimed_by", "=", m.claimedBy)
    .set({
      status: giveUp ? "failed" : "queued",
      due_at: giveUp ? null : toIso(new Date(now.getTime() + wait)),
      claimed_by: null,
      claimed_at: null,
      // Surely not taken: the next claim may call the provider again.
      provider_call_at: null,
      error_code: outcome.code,
      error_message: outcome.message,
      updated_at: toIso(now),
    })
    .execute();
}

/** We cannot know whether the provider took it: never resent by itself, listed for reconciliation. */
export async function recordUnknown(ctx: DomainContext, m: ClaimedMessage, message: string): Promise<void> {
  await ctx.db
    .updateTable("messages")
    .where("id", "=", m.id)
    .where("status", "=", "sending")
    .where("claimed_by", "=", m.claimedBy)
    .set({ status: "unknown", error_message: message, updated_at: toIso(ctx.clock.now()) })
    .execute();
}
