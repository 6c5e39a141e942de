import type { DomainContext, Tx } from "../context.js";
import { inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import { classifyInbound } from "./keywords.js";
import { markReplied } from "./markReplied.js";
import { leadContact, optIn, optOut } from "./optOuts.js";
import { queueMessage } from "./queueMessage.js";
import { inboundLeads, recordInbound } from "./recordInbound.js";

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
    const row = await inboundLeads(tx, ctx.capabilities, orgId)
      .where("leads.phone", "=", sms.from)
      .executeTakeFirst();
    if (row === undefined) return { handled: false, reason: "no lead with this phone" };
    const now = ctx.clock.now();
    const messageId = await recordInbound(
      tx,
      emit,
      row,
      { channel: "sms", provider: "twilio", providerMessageId: sms.messageSid, text: sms.body },
      now,
    );
    // Providers retry webhooks: the same message id is acted on once.
    if (messageId === undefined)
      return { handled: true, orgId, leadId: row.id, keyword: null, duplicate: true };
    const lead = leadContact(row);
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
