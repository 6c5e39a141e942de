import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { DraftKind, MessageAuthor, MessageChannel } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { Tx } from "../context.js";
import { DomainError } from "../errors.js";
import { insertAndNotify } from "../insertAndNotify.js";
import type { Settings } from "../settings/settingsSchema.js";
import { NoSendWindowError, nextAllowedTime } from "./sendWindow.js";
import { smsSegments } from "./smsSegments.js";
import { MESSAGES_CHANNEL, notifyMessagesDue } from "./wakeups.js";

/**
 * The next moment a message may go out: inside the business-hours window (unless skipped) and,
 * for SMS, inside the quiet-hours floor, in the lead's zone. The US-wide fallback for an unknown
 * zone is a TCPA rule, so it applies to +1 numbers; others are judged in the org's default zone.
 */
export function nextSendTime(
  now: Date,
  settings: Settings,
  lead: { time_zone: string | null; phone: string },
  channel: MessageChannel,
  options: { window: boolean },
): Date {
  const quiet = settings.quietHours;
  try {
    return nextAllowedTime(now, {
      window: options.window ? settings.followUpWindow : undefined,
      quietHours: channel === "sms" && quiet.enabled ? quiet : undefined,
      timeZone: lead.time_zone ?? (lead.phone.startsWith("+1") ? null : settings.followUpWindow.timeZone),
      defaultTimeZone: settings.followUpWindow.timeZone,
    });
  } catch (error) {
    if (!(error instanceof NoSendWindowError)) throw error;
    throw new DomainError(
      "CONFLICT",
      "The business-hours window and the quiet hours never overlap for this lead; change the settings or use overrideBusinessHours.",
    );
  }
}

export interface OutboundMessage {
  orgId: string;
  leadId: string;
  channel: MessageChannel;
  text: string;
  subject: string | null;
  dueAt: Date;
  followUpStep: number | null;
  followUpCycle: number | null;
  scheduleFollowUps: boolean;
  overrideBusinessHours: boolean;
  sendWhenOff: boolean;
  author: MessageAuthor;
  /** Set when the assistant still has to write the text: the message waits (no due time) until then. */
  draft?: DraftKind | undefined;
  /** The inbound message this one answers (assistant replies; one each). */
  replyToId?: string | undefined;
}

function outboundRow(
  message: OutboundMessage,
  now: Date,
  status: "queued" | "blocked",
  blockedReason: string | null,
) {
  const segments =
    message.channel === "sms" && message.draft === undefined ? smsSegments(message.text) : undefined;
  const at = toIso(now);
  return {
    id: newId("msg"),
    org_id: message.orgId,
    lead_id: message.leadId,
    channel: message.channel,
    direction: "outbound" as const,
    status,
    text: message.text,
    subject: message.channel === "email" ? message.subject : null,
    segments: segments?.segments ?? null,
    encoding: segments?.encoding ?? null,
    follow_up_step: message.followUpStep,
    follow_up_cycle: message.followUpCycle,
    schedule_follow_ups: message.scheduleFollowUps ? (1 as const) : (0 as const),
    override_business_hours: message.overrideBusinessHours ? (1 as const) : (0 as const),
    send_when_off: message.sendWhenOff ? (1 as const) : (0 as const),
    due_at: status === "queued" ? toIso(message.dueAt) : null,
    claimed_by: null,
    claimed_at: null,
    provider: null,
    provider_message_id: null,
    error_code: null,
    error_message: null,
    blocked_reason: blockedReason,
    timeline_id: null,
    sent_at: null,
    created_at: at,
    updated_at: at,
    author: message.author,
    draft: message.draft ?? null,
    reply_to_id: message.replyToId ?? null,
  };
}

/** Inserts a queued outbound message and tells the senders (on commit). Returns its id. */
export async function insertOutboundMessage(
  tx: Tx,
  capabilities: Capabilities,
  message: OutboundMessage,
  now: Date,
  status: "queued" | "blocked" = "queued",
  blockedReason: string | null = null,
): Promise<string> {
  const row = outboundRow(message, now, status, blockedReason);
  const insert = tx.insertInto("messages").values(row);
  if (status === "queued") await insertAndNotify(tx, capabilities, MESSAGES_CHANNEL, insert);
  else await insert.execute();
  return row.id;
}

const OUTBOUND_COLUMNS = (
  [
    ["id", "text"],
    ["org_id", "text"],
    ["lead_id", "text"],
    ["channel", "text"],
    ["direction", "text"],
    ["status", "text"],
    ["text", "text"],
    ["subject", "text"],
    ["segments", "integer"],
    ["encoding", "text"],
    ["follow_up_step", "integer"],
    ["follow_up_cycle", "integer"],
    ["schedule_follow_ups", "integer"],
    ["override_business_hours", "integer"],
    ["send_when_off", "integer"],
    ["due_at", "text"],
    ["blocked_reason", "text"],
    ["created_at", "text"],
    ["updated_at", "text"],
    ["author", "text"],
    ["draft", "text"],
    ["reply_to_id", "text"],
  ] as const
).map(([name, type]) => ({ name, type })) satisfies JsonColumns<keyof ReturnType<typeof outboundRow>>;

/** Queues many messages in one insert (a scheduler's batch) and tells the senders (on commit). */
export async function insertOutboundMessages(
  tx: Tx,
  capabilities: Capabilities,
  messages: readonly OutboundMessage[],
  now: Date,
): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((m) => outboundRow(m, now, "queued", null));
  await insertJsonRows({ capabilities }, "messages", OUTBOUND_COLUMNS, rows).execute(tx);
  await notifyMessagesDue(tx, capabilities);
}
