import type { Capabilities } from "../../db/database.js";
import type { MessageChannel } from "../../db/schema.js";
import { queueDraftMessage } from "../assistant/assistantJobs.js";
import type { Tx } from "../context.js";
import { nextSendTime } from "../messages/outboundMessage.js";
import { loadSettings } from "../settings/settings.js";
import { queueFromTemplate } from "./renderForLead.js";

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
  const byAssistant = profile.initial_message === null;
  if (byAssistant && profile.initial_outreach !== 1) return false;
  const channel: MessageChannel | undefined =
    profile.sms_enabled === 1
      ? "sms"
      : profile.email_enabled === 1 &&
          lead.email !== null &&
          (byAssistant || profile.initial_subject !== null)
        ? "email"
        : undefined;
  if (channel === undefined) return false;
  const settings = await loadSettings(tx, lead.org_id);
  const message = {
    orgId: lead.org_id,
    leadId: lead.id,
    channel,
    dueAt: nextSendTime(notBefore, settings, lead, channel, {
      window: settings.followUpWindow.applyToInitialOutreach,
    }),
    followUpStep: null,
    followUpCycle: null,
    scheduleFollowUps: true,
    overrideBusinessHours: false,
    sendWhenOff: false,
  };
  if (profile.initial_message === null) {
    await queueDraftMessage(tx, capabilities, message, "initial", now);
    return true;
  }
  const template =
    channel === "email" && profile.initial_subject !== null
      ? { text: profile.initial_message, subject: profile.initial_subject }
      : { text: profile.initial_message };
  const { queued } = await queueFromTemplate(
    tx,
    capabilities,
    template,
    lead,
    settings,
    { ...message, author: "template" },
    now,
  );
  return queued;
}
