import type { Selectable } from "kysely";
import { z } from "zod";
import type { MessagesTable } from "../../../db/schema.js";

export const MESSAGE_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "blocked",
  "unknown",
  "received",
] as const;

/** A message as the API shows it (listing, resolving). */
export const messageItemSchema = z.object({
  id: z.string(),
  leadId: z.string(),
  channel: z.enum(["sms", "email"]),
  direction: z.enum(["outbound", "inbound"]),
  status: z.enum(MESSAGE_STATUSES),
  text: z.string(),
  subject: z.string().nullable(),
  segments: z.number().nullable(),
  followUpStep: z.number().nullable(),
  dueAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  blockedReason: z.string().nullable(),
  /** Who wrote the text: the assistant, a template, a person (the API), or the system (HELP); null for inbound and older rows. */
  author: z.enum(["assistant", "template", "person", "system"]).nullable(),
  /** Provider calls tried for it. */
  attempts: z.number(),
  /** When the current claim's provider call started (what `unknown` is about). */
  providerCallAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MessageItem = z.output<typeof messageItemSchema>;

export function messageItem(r: Selectable<MessagesTable>): z.infer<typeof messageItemSchema> {
  return {
    id: r.id,
    leadId: r.lead_id,
    channel: r.channel,
    direction: r.direction,
    status: r.status,
    text: r.text,
    subject: r.subject,
    segments: r.segments,
    followUpStep: r.follow_up_step,
    dueAt: r.due_at,
    sentAt: r.sent_at,
    provider: r.provider,
    providerMessageId: r.provider_message_id,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    blockedReason: r.blocked_reason,
    author: r.author,
    attempts: r.attempts,
    providerCallAt: r.provider_call_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
