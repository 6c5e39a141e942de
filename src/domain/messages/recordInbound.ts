import { sql } from "kysely";
import { toIso } from "../../clock.js";
import { type Backend, insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { MessageChannel } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { Tx } from "../context.js";
import { messageReceivedData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { addTimelineEntries, addTimelineEntry, type NewTimelineEntry } from "../timeline/timeline.js";
import { leadContact } from "./optOuts.js";

/**
 * An org's live leads with what inbound handling needs; narrow it with a where on phone or email.
 * The lead rows stay locked until the transaction ends (PostgreSQL), so a STOP and a START, or a
 * reply and a PATCH, arriving together apply one after the other.
 */
export function inboundLeads(tx: Tx, capabilities: Capabilities, orgId: string) {
  return tx
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .select([
      "leads.id",
      "leads.org_id",
      "leads.phone",
      "leads.email",
      "leads.external_lead_id",
      "leads.has_replied",
      "profiles.name as profile",
    ])
    .where("leads.org_id", "=", orgId)
    .where("leads.deleted_at", "is", null)
    .$if(capabilities.rowLocks, (query) => query.forUpdate("leads"));
}

export type InboundLead = Awaited<ReturnType<ReturnType<typeof inboundLeads>["executeTakeFirstOrThrow"]>>;

export interface InboundMessage {
  channel: MessageChannel;
  provider: string;
  /** The provider's id, for de-duplication of retried webhooks (null: cannot be de-duplicated). */
  providerMessageId: string | null;
  text: string;
  /** Email only. */
  subject?: string;
}

function inboundRow(row: InboundLead, message: InboundMessage, id: string, at: string) {
  return {
    id,
    org_id: row.org_id,
    lead_id: row.id,
    channel: message.channel,
    direction: "inbound" as const,
    status: "received" as const,
    text: message.text,
    subject: message.subject ?? null,
    provider: message.provider,
    provider_message_id: message.providerMessageId,
    created_at: at,
    updated_at: at,
  };
}

const INBOUND_COLUMNS = (
  [
    ["id", "text"],
    ["org_id", "text"],
    ["lead_id", "text"],
    ["channel", "text"],
    ["direction", "text"],
    ["status", "text"],
    ["text", "text"],
    ["subject", "text"],
    ["provider", "text"],
    ["provider_message_id", "text"],
    ["created_at", "text"],
    ["updated_at", "text"],
  ] as const
).map(([name, type]) => ({ name, type })) satisfies JsonColumns<keyof ReturnType<typeof inboundRow>>;

function timelineEntry(row: InboundLead, message: InboundMessage, id: string, now: Date): NewTimelineEntry {
  const content =
    message.subject === undefined ? { text: message.text } : { text: message.text, subject: message.subject };
  return {
    orgId: row.org_id,
    leadId: row.id,
    type: message.channel === "sms" ? "MESSAGE" : "EMAIL",
    at: now,
    data: {
      direction: "INBOUND",
      content,
      isAiGenerated: false,
      deliveryChannel: message.channel === "sms" ? "SMS" : "EMAIL",
      status: "received",
      messageId: id,
    },
  };
}

function announce(emit: Emit, row: InboundLead, message: InboundMessage, now: Date): Promise<string> {
  return emit({
    orgId: row.org_id,
    leadId: row.id,
    type: "message.received",
    at: now,
    data: messageReceivedData({
      lead: leadContact(row),
      channel: message.channel,
      profile: row.profile,
      ...(message.subject === undefined ? {} : { subject: message.subject }),
      text: message.text,
    }),
  });
}

/**
 * Stores a message from a lead once per provider id, puts it on the timeline and emits
 * `message.received`. Returns the stored message's id, or undefined when it was a duplicate.
 */
export async function recordInbound(
  tx: Tx,
  emit: Emit,
  row: InboundLead,
  message: InboundMessage,
  now: Date,
): Promise<string | undefined> {
  const id = newId("msg");
  const inserted = await tx
    .insertInto("messages")
    .values(inboundRow(row, message, id, toIso(now)))
    .onConflict((oc) => oc.columns(["provider", "provider_message_id"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
  await addTimelineEntry(tx, timelineEntry(row, message, id, now));
  await announce(emit, row, message, now);
  return id;
}

/**
 * recordInbound for many messages at once: one insert, one insert of timeline entries. Returns
 * each stored message's id, in order, undefined for a duplicate. The messages must not repeat a
 * provider id among themselves.
 */
export async function recordInboundMany(
  tx: Tx,
  backend: Backend,
  emit: Emit,
  messages: readonly { row: InboundLead; message: InboundMessage }[],
  now: Date,
): Promise<(string | undefined)[]> {
  if (messages.length === 0) return [];
  const at = toIso(now);
  const rows = messages.map(({ row, message }) => inboundRow(row, message, newId("msg"), at));
  // `where true`: SQLite reads an `on conflict` after a bare `select … from` as a join's.
  const inserted = await sql<{ id: string }>`${insertJsonRows(backend, "messages", INBOUND_COLUMNS, rows)}
    where true on conflict (provider, provider_message_id) do nothing returning id`.execute(tx);
  const stored = new Set(inserted.rows.map((r) => r.id));
  const ids = rows.map((r) => (stored.has(r.id) ? r.id : undefined));
  const entries: NewTimelineEntry[] = [];
  messages.forEach(({ row, message }, i) => {
    const id = ids[i];
    if (id !== undefined) entries.push(timelineEntry(row, message, id, now));
  });
  await addTimelineEntries(tx, backend, entries);
  for (const [i, { row, message }] of messages.entries())
    if (ids[i] !== undefined) await announce(emit, row, message, now);
  return ids;
}
