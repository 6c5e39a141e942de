import { toIso } from "../../clock.js";
import { inJsonList, type UpdateRow, updateFromJsonRows } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import { queueDraftMessage } from "../assistant/assistantJobs.js";
import type { Tx } from "../context.js";
import { profileNurtureTemplate, profileStepTemplates } from "../jsonColumns.js";
import { NURTURE, STOPPED } from "../leads/followUpConfig.js";
import { effectiveFollowUpConfig } from "../leads/leadView.js";
import { insertOutboundMessages, nextSendTime, type OutboundMessage } from "../messages/outboundMessage.js";
import type { MessageTemplate } from "../profiles/templates.js";
import { settingsCache } from "../settings/settings.js";
import { recordTemplateBlocked, renderForLead } from "./renderForLead.js";
import { stepChannel } from "./sequence.js";

type DueLead = Awaited<ReturnType<ReturnType<typeof dueLeadRows>["execute"]>>[number];

function dueLeadRows(tx: Tx) {
  return tx
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
      "leads.profile_id",
      "leads.follow_up_config",
      "profiles.follow_up_config as profile_follow_up_config",
      "profiles.step_templates",
      "profiles.nurture_template",
      "profiles.sms_enabled",
    ]);
}

/**
 * The step's channel and template (undefined: the assistant writes it); undefined when there is
 * nothing to send (a call step, no address, a step the config lacks).
 */
function stepToSend(lead: DueLead) {
  const step = lead.follow_up_step;
  const config = effectiveFollowUpConfig(lead);
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
      ? (profileNurtureTemplate.readNullable(lead.nurture_template, lead.profile_id) ?? undefined)
      : profileStepTemplates.read(lead.step_templates, lead.profile_id)[String(step)];
  if (channel === undefined || (channel === "email" && lead.email === null)) return undefined;
  return { step, channel, template };
}

const STOP_MATCH = [{ name: "id", type: "text" }] as const;
const STOP_SET = [
  { name: "follow_up_step", type: "integer" },
  { name: "next_follow_up_at", type: "text" },
  { name: "updated_at", type: "text" },
] as const;

/**
 * Turns leads' due steps (claimed by the caller, rows locked) into queued messages: each step's
 * channel and template (or, without one, a draft the assistant writes when it is due), due at the next opening of the follow-up window (and the SMS quiet
 * hours). The leads' timers are cleared: a step now lives as a message, unique per (lead, cycle,
 * step), and the sequence moves on when it is sent. A whole batch takes a handful of statements.
 * Returns how many messages were queued.
 */
export async function createStepMessages(
  tx: Tx,
  capabilities: Capabilities,
  leadIds: readonly string[],
  now: Date,
): Promise<number> {
  if (leadIds.length === 0) return 0;
  const backend = { capabilities };
  const leads = await dueLeadRows(tx)
    .where(inJsonList(backend, "leads.id", leadIds))
    .execute();
  const existing = new Set(
    (
      await tx
        .selectFrom("messages")
        .select(["lead_id", "follow_up_cycle", "follow_up_step"])
        .where(inJsonList(backend, "lead_id", leadIds))
        .where("follow_up_step", "is not", null)
        .execute()
    ).map((m) => `${m.lead_id}|${m.follow_up_cycle}|${m.follow_up_step}`),
  );
  const settings = settingsCache(tx);
  const stopped: UpdateRow<"leads", "id", "follow_up_step" | "next_follow_up_at" | "updated_at">[] = [];
  const cleared: string[] = [];
  const queue: OutboundMessage[] = [];
  let drafts = 0;
  for (const lead of leads) {
    const toSend = lead.is_ai_on === 0 ? undefined : stepToSend(lead);
    if (toSend === undefined) {
      // isAiOn off keeps the step (it resumes when turned back on); nothing to send stops.
      stopped.push({
        match: { id: lead.id },
        set: {
          follow_up_step: lead.is_ai_on === 0 ? lead.follow_up_step : STOPPED,
          next_follow_up_at: null,
          updated_at: toIso(now),
        },
      });
      continue;
    }
    const { step, channel, template } = toSend;
    cleared.push(lead.id);
    // Nurture repeats within a cycle; steps 1..N happen once per cycle.
    if (step !== NURTURE && existing.has(`${lead.id}|${lead.follow_up_cycle}|${step}`)) continue;
    const orgSettings = await settings(lead.org_id);
    const message = {
      orgId: lead.org_id,
      leadId: lead.id,
      channel,
      dueAt: nextSendTime(now, orgSettings, lead, channel, { window: true }),
      followUpStep: step,
      followUpCycle: step === NURTURE ? null : lead.follow_up_cycle,
      scheduleFollowUps: false,
      overrideBusinessHours: false,
      sendWhenOff: false,
    };
    if (template === undefined) {
      await queueDraftMessage(tx, capabilities, message, step === NURTURE ? "nurture" : "step", now);
      drafts++;
      continue;
    }
    const rendered = renderForLead(template, lead, orgSettings);
    if (rendered.ok)
      queue.push({ ...message, text: rendered.text, subject: rendered.subject, author: "template" });
    else
      await recordTemplateBlocked(
        tx,
        capabilities,
        template,
        { ...message, author: "template" },
        rendered.missing,
        now,
      );
  }
  if (stopped.length > 0)
    await updateFromJsonRows(backend, "leads", STOP_MATCH, STOP_SET, stopped).execute(tx);
  if (cleared.length > 0)
    await tx
      .updateTable("leads")
      .set({ next_follow_up_at: null })
      .where(inJsonList(backend, "id", cleared))
      .execute();
  await insertOutboundMessages(tx, capabilities, queue, now);
  return queue.length + drafts;
}
