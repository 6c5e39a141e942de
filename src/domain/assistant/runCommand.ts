import { toIso } from "../../clock.js";
import type { Capabilities } from "../../db/database.js";
import type { DomainContext, Tx } from "../context.js";
import { invalid } from "../errors.js";
import { cancelPendingStep } from "../followups/sequence.js";
import { effectiveFollowUpConfig, type LeadRow, loadLiveLeadRow } from "../leads/leadView.js";
import { insertOutboundMessage, nextSendTime } from "../messages/outboundMessage.js";
import { smsTooLong } from "../messages/smsSegments.js";
import { loadSettings } from "../settings/settings.js";
import type { Settings } from "../settings/settingsSchema.js";
import { leadStamp } from "../syncClock.js";
import type { NewTimelineEntry } from "../timeline/timeline.js";
import type { Answer, AssistantCommand } from "./assistant.js";
import type { AssistantFor } from "./assistantFor.js";
import { toolCallEntry, withNotes } from "./toolCalls.js";

export type UnderstoodCommand = Answer<Exclude<AssistantCommand, { kind: "not_understood" }>>;

/**
 * What an addContext `command` asks for, as the org's brain reads it; a command it cannot carry
 * out is a 400 naming `command`, before anything changes (assistant.md "Commands").
 */
export async function understandCommand(
  ctx: DomainContext,
  assistantFor: AssistantFor,
  orgId: string,
  leadId: string,
  command: string,
): Promise<UnderstoodCommand> {
  const lead = await loadLiveLeadRow(ctx.db, { ...ctx.capabilities, rowLocks: false }, orgId, leadId);
  const settings = await loadSettings(ctx.db, orgId);
  const answer = await assistantFor(settings).command({
    command,
    now: ctx.clock.now(),
    timeZone: lead.time_zone ?? settings.followUpWindow.timeZone,
  });
  const value = answer.value;
  if (value.kind === "not_understood") throw invalid("command", value.reason);
  return { ...answer, value };
}

/** Carries out an understood command on the locked lead; returns its TOOL_CALL entry. */
export async function applyCommand(
  tx: Tx,
  capabilities: Capabilities,
  lead: LeadRow,
  understood: UnderstoodCommand,
  settings: Settings,
  now: Date,
): Promise<NewTimelineEntry> {
  const command = understood.value;
  const entry = (result: string, reason: string, messageId?: string) =>
    toolCallEntry(lead.org_id, lead.id, now, {
      tool: "run_command",
      brain: understood.brain,
      result,
      reason: withNotes(reason, understood.fallback === undefined ? [] : [understood.fallback]),
      messageId,
    });
  const stamp = () => leadStamp(tx, lead.org_id, lead.id, now);
  switch (command.kind) {
    case "send": {
      if (smsTooLong(command.text)) throw invalid("command", "an SMS may have at most 1600 characters");
      // "Now", within the SMS quiet hours: an operator's instruction does not vouch for consent.
      const dueAt = nextSendTime(now, settings, lead, "sms", { window: false });
      const messageId = await insertOutboundMessage(
        tx,
        capabilities,
        {
          orgId: lead.org_id,
          leadId: lead.id,
          channel: "sms",
          text: command.text,
          subject: null,
          dueAt,
          followUpStep: null,
          followUpCycle: null,
          scheduleFollowUps: false,
          overrideBusinessHours: false,
          sendWhenOff: false,
          author: "person",
        },
        now,
      );
      return entry("message queued", `send "${command.text}" at ${toIso(dueAt)}`, messageId);
    }
    case "follow_up_at": {
      const config = effectiveFollowUpConfig(lead);
      const pending = lead.next_follow_up_at !== null && lead.follow_up_step >= 1;
      if (!pending && config["1"] === undefined)
        throw invalid(
          "command",
          "the lead has no follow-up steps to schedule; give it a followUpConfig first",
        );
      await tx
        .updateTable("leads")
        .set({
          // A pending step moves; otherwise a new cycle starts at step 1 (steps are once per cycle).
          ...(pending ? {} : { follow_up_step: 1, follow_up_cycle: lead.follow_up_cycle + 1 }),
          next_follow_up_at: toIso(command.at),
          ...(await stamp()),
        })
        .where("id", "=", lead.id)
        .execute();
      const step = pending ? lead.follow_up_step : 1;
      return entry("follow-up scheduled", `follow-up step ${step} due ${toIso(command.at)}`);
    }
    case "stop_follow_ups":
      await tx
        .updateTable("leads")
        .set({ follow_up_step: -1, next_follow_up_at: null, ...(await stamp()) })
        .where("id", "=", lead.id)
        .execute();
      return entry("follow-ups stopped", "follow-ups stopped (followUpStep -1)");
    case "assistant_off":
      await tx
        .updateTable("leads")
        .set({ is_ai_on: 0, ...(await stamp()) })
        .where("id", "=", lead.id)
        .execute();
      await cancelPendingStep(tx, lead.id);
      return entry("assistant off", "the assistant is off for this lead (isAiOn: false)");
  }
}
