import { toIso } from "../../clock.js";
import type { Capabilities } from "../../db/database.js";
import type { MessageChannel } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { Tx } from "../context.js";
import { messageReceivedData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { addTimelineEntry } from "../timeline/timeline.js";
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
  const at = toIso(now);
  const inserted = await tx
    .insertInto("messages")
    .values({
      id,
      org_id: row.org_id,
      lead_id: row.id,
      channel: message.channel,
      direction: "inbound",
      status: "received",
      text: message.text,
      subject: message.subject ?? null,
      segments: null,
      encoding: null,
      follow_up_step: null,
      due_at: null,
      claimed_by: null,
      claimed_at: null,
      provider: message.provider,
      provider_message_id: message.providerMessageId,
      error_code: null,
      error_message: null,
      blocked_reason: null,
      timeline_id: null,
      sent_at: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(["provider", "provider_message_id"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
  const content =
    message.subject === undefined ? { text: message.text } : { text: message.text, subject: message.subject };
  await addTimelineEntry(tx, {
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
  });
  await emit({
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
  return id;
}
