import { toIso } from "../../clock.js";
import { newId } from "../../ids.js";
import type { DomainContext, Tx } from "../context.js";
import { messageReceivedData } from "../events/catalog.js";
import { inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import { addTimelineEntry } from "../timeline/timeline.js";
import { classifyInbound } from "./keywords.js";
import { markReplied } from "./markReplied.js";
import { leadContact, optIn, optOut } from "./optOuts.js";
import { queueMessage } from "./queueMessage.js";

export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  optOutType?: string | undefined;
}

export type InboundResult =
  | { handled: false; reason: string }
  | {
      handled: true;
      orgId: string;
      leadId: string;
      keyword: "stop" | "start" | "help" | null;
      duplicate: boolean;
    };

/**
 * The org a text to `to` belongs to: the one whose settings name that number as its sender;
 * failing that, the only org with a live lead at `from` (single-number installs).
 */
export async function resolveInboundOrg(tx: Tx, to: string, from: string): Promise<string | undefined> {
  const rows = await tx.selectFrom("settings").select(["org_id", "data"]).execute();
  const owner = rows.find((r) => {
    const data = JSON.parse(r.data) as { senders?: { sms?: { from?: string | null } } };
    return data.senders?.sms?.from === to;
  });
  if (owner) return owner.org_id;
  const leads = await tx
    .selectFrom("leads")
    .select("org_id")
    .where("phone", "=", from)
    .where("deleted_at", "is", null)
    .execute();
  const orgs = [...new Set(leads.map((l) => l.org_id))];
  return orgs.length === 1 ? orgs[0] : undefined;
}

function keywordOf(body: string, optOutType: string | undefined, extra: string[]) {
  const byProvider = optOutType?.toUpperCase();
  if (byProvider === "STOP") return "stop";
  if (byProvider === "START") return "start";
  if (byProvider === "HELP") return "help";
  return classifyInbound(body, extra);
}

/** A text from a lead: recorded once per provider id, announced, and acted on (keywords, replies). */
export async function receiveSms(ctx: DomainContext, sms: InboundSms): Promise<InboundResult> {
  let helpReply: string | undefined;
  const result = await inTransaction(ctx, async (tx, emit): Promise<InboundResult> => {
    const orgId = await resolveInboundOrg(tx, sms.to, sms.from);
    if (orgId === undefined) return { handled: false, reason: "no organisation owns this number" };
    const row = await tx
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
      .where("leads.phone", "=", sms.from)
      .where("leads.deleted_at", "is", null)
      .executeTakeFirst();
    if (row === undefined) return { handled: false, reason: "no lead with this phone" };
    const now = ctx.clock.now();
    const at = toIso(now);
    const messageId = newId("msg");
    const inserted = await tx
      .insertInto("messages")
      .values({
        id: messageId,
        org_id: orgId,
        lead_id: row.id,
        channel: "sms",
        direction: "inbound",
        status: "received",
        text: sms.body,
        subject: null,
        segments: null,
        encoding: null,
        follow_up_step: null,
        due_at: null,
        claimed_by: null,
        claimed_at: null,
        provider: "twilio",
        provider_message_id: sms.messageSid,
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
    // Providers retry webhooks: the same message id is acted on once.
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
      return { handled: true, orgId, leadId: row.id, keyword: null, duplicate: true };

    const lead = leadContact(row);
    await addTimelineEntry(tx, {
      orgId,
      leadId: row.id,
      type: "MESSAGE",
      at: now,
      data: {
        direction: "INBOUND",
        content: { text: sms.body },
        isAiGenerated: false,
        deliveryChannel: "SMS",
        status: "received",
        messageId,
      },
    });
    await emit({
      orgId,
      leadId: row.id,
      type: "message.received",
      at: now,
      data: messageReceivedData({ lead, channel: "sms", profile: row.profile, text: sms.body }),
    });
    const settings = await loadSettings(tx, orgId);
    const keyword = keywordOf(sms.body, sms.optOutType, settings.unsubscribeKeywords);
    if (keyword === "stop") {
      await optOut(
        tx,
        emit,
        lead,
        {
          channel: "sms",
          reason: null,
          isTwilioOptOut: true,
          optOutMessage: sms.body,
          isDoNotContact: false,
          linked: settings.linkedOptOut,
        },
        now,
      );
    } else if (keyword === "start") {
      await optIn(tx, lead, "sms", now);
    } else if (keyword === null) {
      await markReplied(tx, emit, { ...lead, hasReplied: row.has_replied === 1 }, "sms", now);
    }
    if (keyword === "help") helpReply = settings.helpReply;
    return { handled: true, orgId, leadId: row.id, keyword, duplicate: false };
  });
  if (result.handled && helpReply !== undefined) {
    // The help text answers at once, whatever the hour: the lead just asked for it.
    await queueMessage(ctx, result.orgId, result.leadId, {
      message: helpReply,
      sendWhenOff: true,
      scheduleFollowUps: false,
      overrideBusinessHours: true,
      channel: "sms",
    });
  }
  return result;
}
