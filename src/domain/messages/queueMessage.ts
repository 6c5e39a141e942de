import { toIso } from "../../clock.js";
import type { MessageChannel } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import { DomainError, invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { loadLiveLeadRow } from "../leads/leadView.js";
import { loadSettings } from "../settings/settings.js";
import { notifyMessagesDue } from "../webhooks/wakeups.js";
import { NoSendWindowError, nextAllowedTime } from "./sendWindow.js";
import { smsSegments, smsTooLong } from "./smsSegments.js";

export interface SendMessageInput {
  message: string;
  scheduledTime?: Date | undefined;
  sendWhenOff: boolean;
  scheduleFollowUps: boolean;
  overrideBusinessHours: boolean;
  channel: MessageChannel;
  subject?: string | undefined;
}

/**
 * Queues one outbound message (POST /v1/leads/{id}/sendMessage). When it may go out: an explicit
 * `scheduledTime` as given; else now with `overrideBusinessHours`; else the next opening of the
 * business-hours window (and, for SMS, of the quiet-hours floor) in the lead's zone. Whether it
 * may go out at all (opt-outs, do-not-contact, isAiOn, …) is decided when it is sent.
 */
export async function queueMessage(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  input: SendMessageInput,
): Promise<{ messageId: string; dueAt: string }> {
  const result = await inTransaction(ctx, async (tx) => {
    const lead = await loadLiveLeadRow(tx, orgId, leadId);
    if (input.channel === "email" && lead.email === null)
      throw invalid("channel", "the lead has no email address");
    if (input.channel === "email" && input.subject === undefined)
      throw invalid("subject", "is required for email");
    if (input.channel === "sms" && smsTooLong(input.message)) {
      throw invalid("message", "an SMS may have at most 1600 characters");
    }
    const settings = await loadSettings(tx, orgId);
    const now = ctx.clock.now();
    let due = input.scheduledTime !== undefined && input.scheduledTime > now ? input.scheduledTime : now;
    if (input.scheduledTime === undefined && !input.overrideBusinessHours) {
      const quiet = settings.quietHours;
      try {
        due = nextAllowedTime(now, {
          window: settings.followUpWindow,
          quietHours: input.channel === "sms" && quiet.enabled ? quiet : undefined,
          // The US-wide fallback for an unknown zone is a TCPA rule: it applies to +1 numbers;
          // others are judged in the org's default zone.
          timeZone: lead.time_zone ?? (lead.phone.startsWith("+1") ? null : settings.followUpWindow.timeZone),
          defaultTimeZone: settings.followUpWindow.timeZone,
        });
      } catch (error) {
        if (!(error instanceof NoSendWindowError)) throw error;
        throw new DomainError(
          "CONFLICT",
          "The business-hours window and the quiet hours never overlap for this lead; change the settings or use overrideBusinessHours.",
        );
      }
    }
    const segments = input.channel === "sms" ? smsSegments(input.message) : undefined;
    const id = newId("msg");
    const at = toIso(now);
    await tx
      .insertInto("messages")
      .values({
        id,
        org_id: orgId,
        lead_id: leadId,
        channel: input.channel,
        direction: "outbound",
        status: "queued",
        text: input.message,
        subject: input.channel === "email" ? (input.subject ?? null) : null,
        segments: segments?.segments ?? null,
        encoding: segments?.encoding ?? null,
        follow_up_step: null,
        schedule_follow_ups: input.scheduleFollowUps ? 1 : 0,
        override_business_hours: input.overrideBusinessHours ? 1 : 0,
        send_when_off: input.sendWhenOff ? 1 : 0,
        due_at: toIso(due),
        claimed_by: null,
        claimed_at: null,
        provider: null,
        provider_message_id: null,
        error_code: null,
        error_message: null,
        blocked_reason: null,
        timeline_id: null,
        sent_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await notifyMessagesDue(tx, ctx.capabilities);
    return { messageId: id, dueAt: toIso(due) };
  });
  ctx.wakeMessageSender();
  return result;
}
