import { toIso } from "../../clock.js";
import type { Capabilities } from "../../db/database.js";
import type { Tx } from "../context.js";
import { type FollowUpConfig, NURTURE, STOPPED } from "../leads/followUpConfig.js";
import { nextSendTime } from "../messages/outboundMessage.js";
import type { MessageTemplate } from "../profiles/templates.js";
import { loadSettings } from "../settings/settings.js";
import { queueFromTemplate } from "./renderForLead.js";
import { stepChannel } from "./sequence.js";

/**
 * Turns a lead's due step (claimed by the caller, row locked) into a queued message: the step's
 * channel and template, due at the next opening of the follow-up window (and the SMS quiet
 * hours). The lead's timer is cleared: the step now lives as a message, unique per
 * (lead, cycle, step), and the sequence moves on when it is sent.
 */
export async function createStepMessage(
  tx: Tx,
  capabilities: Capabilities,
  leadId: string,
  now: Date,
): Promise<boolean> {
  const lead = await tx
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .select([
      "leads.id",
      "leads.org_id",
      "leads.phone",
      "leads.email",
      "leads.time_zone",
      "leads.first_name",
      "leads.last_name",
      "leads.additional_info",
      "leads.is_ai_on",
      "leads.follow_up_step",
      "leads.follow_up_cycle",
      "leads.follow_up_config",
      "profiles.follow_up_config as profile_config",
      "profiles.step_templates",
      "profiles.nurture_template",
      "profiles.sms_enabled",
    ])
    .where("leads.id", "=", leadId)
    .executeTakeFirstOrThrow();
  const stop = (step = lead.follow_up_step) =>
    tx
      .updateTable("leads")
      .set({ follow_up_step: step, next_follow_up_at: null, updated_at: toIso(now) })
      .where("id", "=", leadId)
      .execute();
  if (lead.is_ai_on === 0) {
    await stop();
    return false;
  }

  const step = lead.follow_up_step;
  const config = JSON.parse(lead.follow_up_config ?? lead.profile_config) as FollowUpConfig;
  const stepConfig = step >= 1 ? config[String(step)] : undefined;
  const channel =
    step === NURTURE
      ? lead.sms_enabled === 1
        ? "sms"
        : "email"
      : stepConfig
        ? stepChannel(stepConfig)
        : undefined;
  const template: MessageTemplate | undefined =
    step === NURTURE
      ? lead.nurture_template === null
        ? undefined
        : (JSON.parse(lead.nurture_template) as MessageTemplate)
      : (JSON.parse(lead.step_templates) as Record<string, MessageTemplate>)[String(step)];
  // No channel (a call step, voice is not built), no template, or no address: nothing to send.
  if (channel === undefined || template === undefined || (channel === "email" && lead.email === null)) {
    await stop(STOPPED);
    return false;
  }
  const already = await tx
    .selectFrom("messages")
    .select("id")
    .where("lead_id", "=", leadId)
    .where("follow_up_cycle", "=", lead.follow_up_cycle)
    .where("follow_up_step", "=", step)
    .executeTakeFirst();
  await tx.updateTable("leads").set({ next_follow_up_at: null }).where("id", "=", leadId).execute();
  // Nurture repeats within a cycle; steps 1..N happen once per cycle.
  if (already && step !== NURTURE) return false;
  const settings = await loadSettings(tx, lead.org_id);
  const { queued } = await queueFromTemplate(
    tx,
    capabilities,
    template,
    lead,
    settings,
    {
      orgId: lead.org_id,
      leadId,
      channel,
      dueAt: nextSendTime(now, settings, lead, channel, { window: true }),
      followUpStep: step,
      followUpCycle: step === NURTURE ? null : lead.follow_up_cycle,
      scheduleFollowUps: false,
      overrideBusinessHours: false,
      sendWhenOff: false,
    },
    now,
  );
  return queued;
}
