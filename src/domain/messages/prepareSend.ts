import { randomBytes } from "node:crypto";
import { toIso } from "../../clock.js";
import type { MessageChannel } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { loadSettings } from "../settings/settings.js";
import type { Settings } from "../settings/settingsSchema.js";
import { isOptedOut, type LeadContact, leadContact } from "./optOuts.js";

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

/**
 * Everything that may forbid a send, checked when it is about to happen (not when it was
 * queued: a lead may opt out in between). Nothing here ever bypasses opt-outs or do-not-contact.
 */
export async function prepareSend(
  tx: Tx,
  message: { org_id: string; lead_id: string; channel: MessageChannel; send_when_off: number },
  now: Date,
): Promise<SendDecision> {
  const lead = await tx
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
      "profiles.sms_enabled",
      "profiles.email_enabled",
    ])
    .where("leads.id", "=", message.lead_id)
    .where("leads.org_id", "=", message.org_id)
    .executeTakeFirst();
  if (lead === undefined || lead.deleted_at !== null)
    return { kind: "blocked", reason: "the lead is deleted" };
  const dnc = await tx
    .selectFrom("dnc")
    .select("phone")
    .where("org_id", "=", message.org_id)
    .where("phone", "=", lead.phone)
    .executeTakeFirst();
  if (dnc) return { kind: "blocked", reason: "the lead's phone is on the do-not-contact list" };
  if (await isOptedOut(tx, lead.id, message.channel)) {
    return { kind: "blocked", reason: `the lead opted out of ${message.channel}` };
  }
  if (lead.is_ai_on === 0 && message.send_when_off === 0) {
    return {
      kind: "blocked",
      reason: "the assistant is off for this lead (isAiOn: false) and sendWhenOff was not set",
    };
  }
  if (message.channel === "email" && lead.email === null)
    return { kind: "blocked", reason: "the lead has no email address" };
  const settings = await loadSettings(tx, message.org_id);
  return {
    kind: "send",
    lead: { ...leadContact(lead), firstName: lead.first_name, timeZone: lead.time_zone },
    profile: lead.profile,
    settings,
    unsubscribeToken:
      message.channel === "email"
        ? await unsubscribeToken(tx, message.org_id, lead.id, message.channel, now)
        : undefined,
  };
}
