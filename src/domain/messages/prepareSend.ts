import { randomBytes } from "node:crypto";
import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import type { MessageChannel } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { settingsCache } from "../settings/settings.js";
import type { Settings } from "../settings/settingsSchema.js";
import { smsSenderOwners } from "../settings/smsSenders.js";
import { type LeadContact, leadContact } from "./optOuts.js";
import type { ServerSmsSenders } from "./serverSmsSenders.js";

export interface ReadyToSend {
  kind: "send";
  lead: LeadContact & { firstName: string; timeZone: string | null };
  profile: string;
  settings: Settings;
  /** The lead's unsubscribe token (email links, RFC 8058); SMS opts out by keyword instead. */
  unsubscribeToken: string | undefined;
}

export type SendDecision = ReadyToSend | { kind: "blocked"; reason: string };

/** The lead's unsubscribe token for a channel, created on first use; unguessable, one lead only. */
export async function unsubscribeToken(tx: Tx, orgId: string, leadId: string, channel: string, now: Date) {
  const existing = await tx
    .selectFrom("unsubscribe_tokens")
    .select("token")
    .where("lead_id", "=", leadId)
    .where("channel", "=", channel)
    .executeTakeFirst();
  if (existing) return existing.token;
  const token = randomBytes(24).toString("base64url");
  await tx
    .insertInto("unsubscribe_tokens")
    .values({ token, org_id: orgId, lead_id: leadId, channel, created_at: toIso(now) })
    .onConflict((oc) => oc.columns(["lead_id", "channel"]).doNothing())
    .execute();
  return (
    await tx
      .selectFrom("unsubscribe_tokens")
      .select("token")
      .where("lead_id", "=", leadId)
      .where("channel", "=", channel)
      .executeTakeFirstOrThrow()
  ).token;
}

type SendCheckMessage = {
  id: string;
  org_id: string;
  lead_id: string;
  channel: MessageChannel;
  send_when_off: number;
  /** Set on the assistant's replies: the inbound message answered. */
  reply_to_id: string | null;
};

/**
 * Replies a person overtook: someone sent the lead a message (sendMessage, an operator's command)
 * after the inbound message the reply answers arrived. The reply waited `responseDelaySeconds`
 * for exactly this; a human's word wins (assistant.md "Reply").
 */
async function overtakenReplies(
  tx: Tx,
  database: Database,
  messages: readonly SendCheckMessage[],
): Promise<Set<string>> {
  const replies = messages.filter((m) => m.reply_to_id !== null);
  if (replies.length === 0) return new Set();
  const inboundIds = replies.flatMap((m) => (m.reply_to_id === null ? [] : [m.reply_to_id]));
  const received = new Map(
    (
      await tx
        .selectFrom("messages")
        .select(["id", "created_at"])
        .where(inJsonList(database, "id", inboundIds))
        .execute()
    ).map((row) => [row.id, row.created_at]),
  );
  const lastByPerson = new Map(
    (
      await tx
        .selectFrom("messages")
        .select((eb) => ["lead_id", eb.fn.max("created_at").as("last")])
        .where(inJsonList(database, "lead_id", [...new Set(replies.map((m) => m.lead_id))]))
        .where("direction", "=", "outbound")
        .where("author", "=", "person")
        .groupBy("lead_id")
        .execute()
    ).map((row) => [row.lead_id, row.last]),
  );
  return new Set(
    replies
      .filter((m) => {
        const at = m.reply_to_id === null ? undefined : received.get(m.reply_to_id);
        const last = lastByPerson.get(m.lead_id);
        return at !== undefined && last !== undefined && last !== null && last >= at;
      })
      .map((m) => m.id),
  );
}

/**
 * Why an org may not send SMS from the sender it would use, if it may not. Replies to a number
 * route to the org that owns it (receiveSms.ts), so sending from another org's number would
 * hand this org's conversations, STOPs included, to that org. No sender at all (the dev sink, or
 * a Twilio setup with none) is left to the provider.
 */
async function senderRefusal(
  orgId: string,
  settings: Settings,
  server: ServerSmsSenders,
  ownerOf: (sender: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const own = settings.senders.sms.messagingServiceSid ?? settings.senders.sms.from;
  const sender = own ?? (settings.twilio === null ? server.viaServerAccount : server.viaOrgAccount);
  if (sender === undefined || (await ownerOf(sender)) === orgId) return undefined;
  return own === null
    ? `the org has no SMS sender of its own (settings senders.sms) and the server's sender ${sender} belongs to another org, which would get the replies`
    : `the SMS sender ${sender} in settings belongs to another org, which would get the replies; set senders.sms to a sender this org owns`;
}

/**
 * Everything that may forbid a send, checked when it is about to happen (not when it was
 * queued: a lead may opt out in between). Nothing here ever bypasses opt-outs or do-not-contact.
 * A whole batch is checked with a handful of queries (leads, do-not-contact, opt-outs, settings
 * once per org), in the caller's transaction. Returns each message's decision by message id.
 */
export async function prepareSends(
  tx: Tx,
  database: Database,
  messages: readonly SendCheckMessage[],
  now: Date,
  serverSenders: ServerSmsSenders,
): Promise<Map<string, SendDecision>> {
  const decisions = new Map<string, SendDecision>();
  if (messages.length === 0) return decisions;
  const leadIds = [...new Set(messages.map((m) => m.lead_id))];
  const leads = new Map(
    (
      await tx
        .selectFrom("leads")
        .innerJoin("profiles", "profiles.id", "leads.profile_id")
        .select([
          "leads.id",
          "leads.org_id",
          "leads.phone",
          "leads.email",
          "leads.external_lead_id",
          "leads.first_name",
          "leads.time_zone",
          "leads.deleted_at",
          "leads.is_ai_on",
          "profiles.name as profile",
        ])
        .where(inJsonList(database, "leads.id", leadIds))
        .execute()
    ).map((lead) => [lead.id, lead]),
  );
  const phones = [...new Set([...leads.values()].map((l) => l.phone))];
  const dnc = new Set(
    phones.length === 0
      ? []
      : (
          await tx
            .selectFrom("dnc")
            .select(["org_id", "phone"])
            // Both lists, so the (org_id, phone) key is used.
            .where(inJsonList(database, "org_id", [...new Set(messages.map((m) => m.org_id))]))
            .where(inJsonList(database, "phone", phones))
            .execute()
        ).map((d) => `${d.org_id}|${d.phone}`),
  );
  const optedOut = new Set(
    (
      await tx
        .selectFrom("lead_opt_outs")
        .select(["lead_id", "channel"])
        .where(inJsonList(database, "lead_id", leadIds))
        .execute()
    ).map((o) => `${o.lead_id}|${o.channel}`),
  );
  const phoneOptedOut = new Set(
    phones.length === 0
      ? []
      : (
          await tx
            .selectFrom("phone_opt_outs")
            .select(["org_id", "phone", "channel"])
            .where(inJsonList(database, "org_id", [...new Set(messages.map((m) => m.org_id))]))
            .where(inJsonList(database, "phone", phones))
            .execute()
        ).map((o) => `${o.org_id}|${o.phone}|${o.channel}`),
  );
  const overtaken = await overtakenReplies(tx, database, messages);
  const settings = settingsCache(tx);
  const ownerOf = smsSenderOwners(tx);
  for (const message of messages) {
    const lead = leads.get(message.lead_id);
    const blocked = (reason: string) => decisions.set(message.id, { kind: "blocked", reason });
    if (lead === undefined || lead.org_id !== message.org_id || lead.deleted_at !== null) {
      blocked("the lead is deleted");
    } else if (dnc.has(`${message.org_id}|${lead.phone}`)) {
      blocked("the lead's phone is on the do-not-contact list");
    } else if (optedOut.has(`${lead.id}|${message.channel}`)) {
      blocked(`the lead opted out of ${message.channel}`);
    } else if (lead.is_ai_on === 0 && message.send_when_off === 0) {
      blocked("the assistant is off for this lead (isAiOn: false) and sendWhenOff was not set");
    } else if (phoneOptedOut.has(`${message.org_id}|${lead.phone}|${message.channel}`)) {
      blocked(`the phone opted out of ${message.channel} (STOP) before this lead existed`);
    } else if (message.channel === "email" && lead.email === null) {
      blocked("the lead has no email address");
    } else if (overtaken.has(message.id)) {
      blocked(
        "a person sent this lead a message after it wrote: a human took over, so the assistant's reply is not sent",
      );
    } else {
      const orgSettings = await settings(message.org_id);
      const refusal =
        message.channel === "sms"
          ? await senderRefusal(message.org_id, orgSettings, serverSenders, ownerOf)
          : undefined;
      if (refusal !== undefined) {
        blocked(refusal);
        continue;
      }
      decisions.set(message.id, {
        kind: "send",
        lead: { ...leadContact(lead), firstName: lead.first_name, timeZone: lead.time_zone },
        profile: lead.profile,
        settings: orgSettings,
        unsubscribeToken:
          message.channel === "email"
            ? await unsubscribeToken(tx, message.org_id, lead.id, message.channel, now)
            : undefined,
      });
    }
  }
  return decisions;
}
