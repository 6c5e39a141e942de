import { type SqlBool, sql } from "kysely";
import { toIso } from "../../clock.js";
import { updateFromJsonRows } from "../../db/bulk.js";
import type { MessageChannel } from "../../db/schema.js";
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
import { loadSettings, settingsCache } from "../settings/settings.js";
import { addTimelineEntries, addTimelineEntry } from "../timeline/timeline.js";
import { type LeadContact, optOut } from "./optOuts.js";
import type { SendOutcome } from "./providers.js";

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
}

const RETRY_BASE_MS = 30_000;
const MAX_ATTEMPTS = 5;

export function messageTimelineData(m: ClaimedMessage, direction: "OUTBOUND" | "INBOUND", status: string) {
  return {
    direction,
    content:
      m.channel === "email" && m.subject !== null ? { text: m.text, subject: m.subject } : { text: m.text },
    isAiGenerated: false,
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
  provider: string;
  outcome: Extract<SendOutcome, { kind: "accepted" }>;
  /** When the provider accepted it: the moment `message.sent` reports. */
  acceptedAt: Date;
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
 * The provider took them: each becomes `sent`, goes on the timeline, moves its follow-up sequence
 * on, and is announced by `message.sent`, all in one transaction for the whole batch, written
 * with a few statements whatever its size (one commit instead of one per message).
 */
export async function recordAccepted(ctx: DomainContext, sends: AcceptedSend[]): Promise<void> {
  if (sends.length === 0) return;
  await inTransaction(ctx, async (tx, emit) => {
    const timelineIds = await addTimelineEntries(
      tx,
      ctx,
      sends.map(({ message: m, acceptedAt }) => ({
        orgId: m.orgId,
        leadId: m.leadId,
        type: m.channel === "sms" ? "MESSAGE" : "EMAIL",
        at: acceptedAt,
        data: messageTimelineData(m, "OUTBOUND", "sent"),
      })),
    );
    // Only the claim's holder may record the answer (see ownClaim).
    await updateFromJsonRows(
      ctx,
      "messages",
      SENT_MATCH,
      SENT_SET,
      sends.map(({ message: m, provider, outcome, acceptedAt }, i) => [
        m.id,
        m.claimedBy,
        "sent",
        provider,
        outcome.providerMessageId,
        toIso(acceptedAt),
        timelineIds[i] ?? null,
        toIso(acceptedAt),
      ]),
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
      [...lastActivity],
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
