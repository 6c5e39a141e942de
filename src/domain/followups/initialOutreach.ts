import type { Capabilities } from "../../db/database.js";
import type { MessageChannel } from "../../db/schema.js";
import { queueDraftMessage } from "../assistant/assistantJobs.js";
import type { Tx } from "../context.js";
import { insertOutboundMessages, nextSendTime, type OutboundMessage } from "../messages/outboundMessage.js";
import { settingsCache } from "../settings/settings.js";
import { recordTemplateBlocked, renderForLead } from "./renderForLead.js";

export interface OutreachProfile {
  initial_message: string | null;
  /** 1: without an initial_message, the assistant writes the first message. */
  initial_outreach: number;
  initial_subject: string | null;
  sms_enabled: number;
  email_enabled: number;
}

export interface OutreachLead {
  id: string;
  org_id: string;
  phone: string;
  email: string | null;
  time_zone: string | null;
  first_name: string;
  last_name: string;
  additional_info: string;
}

function outreachChannel(profile: OutreachProfile, lead: OutreachLead): MessageChannel | undefined {
  const byAssistant = profile.initial_message === null;
  if (profile.sms_enabled === 1) return "sms";
  return profile.email_enabled === 1 &&
    lead.email !== null &&
    (byAssistant || profile.initial_subject !== null)
    ? "email"
    : undefined;
}

/**
 * A new lead under a profile with an initial message (or `initialOutreach`: the assistant writes it) gets it (by SMS when the profile texts, else
 * by email), inside the follow-up window when settings say so and always inside the SMS quiet
 * hours; follow-up step 1 is scheduled once it is sent. Returns whether a message was queued.
 */
export async function queueInitialOutreach(
  tx: Tx,
  capabilities: Capabilities,
  lead: OutreachLead,
  profile: OutreachProfile,
  now: Date,
  /** Not before this moment (a delayed message after a profile switch). */
  notBefore: Date = now,
): Promise<boolean> {
  return queueInitialOutreaches(tx, capabilities, [lead], profile, now, notBefore);
}

/**
 * `queueInitialOutreach` for many new leads of one profile (an import's batch): the messages
 * rendered from the template are inserted together, and a send time is worked out once per zone.
 * Returns whether any message was queued.
 */
export async function queueInitialOutreaches(
  tx: Tx,
  capabilities: Capabilities,
  leads: readonly OutreachLead[],
  profile: OutreachProfile,
  now: Date,
  notBefore: Date = now,
): Promise<boolean> {
  const byAssistant = profile.initial_message === null;
  if (byAssistant && profile.initial_outreach !== 1) return false;
  const settingsOf = settingsCache(tx);
  // nextSendTime reads only the lead's zone, or for a lead without one whether its phone is +1.
  const dueAts = new Map<string, Date>();
  const rendered: OutboundMessage[] = [];
  let drafted = false;
  for (const lead of leads) {
    const channel = outreachChannel(profile, lead);
    if (channel === undefined) continue;
    const settings = await settingsOf(lead.org_id);
    const zone = lead.time_zone ?? (lead.phone.startsWith("+1") ? "\u0000+1" : "\u0000org");
    const key = `${lead.org_id} ${channel} ${zone}`;
    let dueAt = dueAts.get(key);
    if (dueAt === undefined) {
      dueAt = nextSendTime(notBefore, settings, lead, channel, {
        window: settings.followUpWindow.applyToInitialOutreach,
      });
      dueAts.set(key, dueAt);
    }
    const message = {
      orgId: lead.org_id,
      leadId: lead.id,
      channel,
      dueAt,
      followUpStep: null,
      followUpCycle: null,
      scheduleFollowUps: true,
      overrideBusinessHours: false,
      sendWhenOff: false,
    };
    if (profile.initial_message === null) {
      await queueDraftMessage(tx, capabilities, message, "initial", now);
      drafted = true;
      continue;
    }
    const template =
      channel === "email" && profile.initial_subject !== null
        ? { text: profile.initial_message, subject: profile.initial_subject }
        : { text: profile.initial_message };
    const text = renderForLead(template, lead, settings);
    const templated = { ...message, author: "template" as const };
    if (text.ok) rendered.push({ ...templated, text: text.text, subject: text.subject });
    else await recordTemplateBlocked(tx, capabilities, template, templated, text.missing, now);
  }
  await insertOutboundMessages(tx, capabilities, rendered, now);
  return drafted || rendered.length > 0;
}
