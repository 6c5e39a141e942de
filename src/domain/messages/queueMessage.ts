import { toIso } from "../../clock.js";
import type { MessageAuthor, MessageChannel } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { loadLiveLeadRow } from "../leads/leadView.js";
import { loadSettings } from "../settings/settings.js";
import { insertOutboundMessage, nextSendTime } from "./outboundMessage.js";
import { smsTooLong } from "./smsSegments.js";

export interface SendMessageInput {
  message: string;
  scheduledTime?: Date | undefined;
  sendWhenOff: boolean;
  scheduleFollowUps: boolean;
  overrideBusinessHours: boolean;
  channel: MessageChannel;
  subject?: string | undefined;
  /** Who wrote it: a person through the API unless said otherwise (the HELP reply is `system`). */
  author?: MessageAuthor | undefined;
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
    const lead = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
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
      due = nextSendTime(now, settings, lead, input.channel, { window: true });
    }
    const id = await insertOutboundMessage(
      tx,
      ctx.capabilities,
      {
        orgId,
        leadId,
        channel: input.channel,
        text: input.message,
        subject: input.subject ?? null,
        dueAt: due,
        followUpStep: null,
        followUpCycle: null,
        scheduleFollowUps: input.scheduleFollowUps,
        overrideBusinessHours: input.overrideBusinessHours,
        sendWhenOff: input.sendWhenOff,
        author: input.author ?? "person",
      },
      now,
    );
    return { messageId: id, dueAt: toIso(due) };
  });
  ctx.wakeMessageSender();
  return result;
}
