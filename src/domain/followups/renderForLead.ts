import type { Capabilities } from "../../db/database.js";
import type { Tx } from "../context.js";
import { leadAdditionalInfo } from "../jsonColumns.js";
import { insertOutboundMessage, type OutboundMessage } from "../messages/outboundMessage.js";
import { renderTemplate } from "../messages/renderTemplate.js";
import type { MessageTemplate } from "../profiles/templates.js";
import type { Settings } from "../settings/settingsSchema.js";
import { addTimelineEntry } from "../timeline/timeline.js";

export interface LeadForTemplates {
  id: string;
  first_name: string;
  last_name: string;
  additional_info: string;
}

/** Renders text and subject; `missing` names what the lead lacks (e.g. additionalInfo.budget). */
export function renderForLead(
  template: MessageTemplate,
  lead: LeadForTemplates,
  settings: Settings,
): { ok: true; text: string; subject: string | null } | { ok: false; missing: string[] } {
  const vars = {
    firstName: lead.first_name,
    lastName: lead.last_name,
    aiName: settings.assistantName,
    additionalInfo: leadAdditionalInfo.read(lead.additional_info, lead.id),
  };
  const text = renderTemplate(template.text, vars);
  const subject = template.subject === undefined ? undefined : renderTemplate(template.subject, vars);
  const missing = [...(text.ok ? [] : text.missing), ...(subject && !subject.ok ? subject.missing : [])];
  if (!text.ok || (subject !== undefined && !subject.ok))
    return { ok: false, missing: [...new Set(missing)] };
  return { ok: true, text: text.text, subject: subject?.ok ? subject.text : null };
}

/**
 * Queues an automated message from a template, or, when the lead lacks a variable the template
 * needs, records it as blocked with the reason on the timeline (never a half-filled message).
 */
export async function queueFromTemplate(
  tx: Tx,
  capabilities: Capabilities,
  template: MessageTemplate,
  lead: LeadForTemplates,
  settings: Settings,
  message: Omit<OutboundMessage, "text" | "subject">,
  now: Date,
): Promise<{ queued: boolean; messageId: string }> {
  const rendered = renderForLead(template, lead, settings);
  if (rendered.ok) {
    const messageId = await insertOutboundMessage(
      tx,
      capabilities,
      { ...message, text: rendered.text, subject: rendered.subject },
      now,
    );
    return { queued: true, messageId };
  }
  return {
    queued: false,
    messageId: await recordTemplateBlocked(tx, capabilities, template, message, rendered.missing, now),
  };
}

/** A template the lead cannot fill: stored as a blocked message, with the reason on the timeline. */
export async function recordTemplateBlocked(
  tx: Tx,
  capabilities: Capabilities,
  template: MessageTemplate,
  message: Omit<OutboundMessage, "text" | "subject">,
  missing: readonly string[],
  now: Date,
): Promise<string> {
  const reason = `template variable missing: ${missing.join(", ")}`;
  const messageId = await insertOutboundMessage(
    tx,
    capabilities,
    { ...message, text: template.text, subject: template.subject ?? null },
    now,
    "blocked",
    reason,
  );
  await addTimelineEntry(tx, {
    orgId: message.orgId,
    leadId: message.leadId,
    type: "COMPLIANCE_BLOCKED",
    at: now,
    data: {
      reason,
      direction: "OUTBOUND",
      content: { text: template.text },
      deliveryChannel: message.channel === "sms" ? "SMS" : "EMAIL",
      status: "blocked",
      messageId,
      ...(message.followUpStep === null ? {} : { followUpStep: message.followUpStep }),
    },
  });
  return messageId;
}
