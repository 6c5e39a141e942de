import type { Transaction } from "kysely";
import { toIso } from "../../clock.js";
import type { Capabilities } from "../../db/database.js";
import type { DB } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { notificationData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { applyAdditionalInfo } from "../leads/applyAdditionalInfo.js";
import { STOPPED } from "../leads/followUpConfig.js";
import type { LeadRow } from "../leads/leadView.js";
import { doNotContact, leadContact, optOut } from "../messages/optOuts.js";
import { insertOutboundMessage, nextSendTime } from "../messages/outboundMessage.js";
import { leadStamp } from "../syncClock.js";
import { tagFromConversation } from "../tags/leadTags.js";
import type { NewTimelineEntry } from "../timeline/timeline.js";
import type { Answer, Channel, ConditionRule, Intent, Reading } from "./assistant.js";
import type { AssistantInputs } from "./assistantInputs.js";
import type { ComposedDraft } from "./composeDraft.js";
import { toolCallEntry, withNotes } from "./toolCalls.js";

/** A reply to a message this fresh answers at once; later ones wait for the window (assistant.md). */
const FRESH_MS = 30 * 60_000;

const WRONG_NUMBER_TAG = "wrongNumber";

export interface NotificationEmail {
  orgId: string;
  to: string[];
  subject: string;
  text: string;
}

export interface InboundRow {
  id: string;
  channel: Channel;
  text: string;
  subject: string | null;
  created_at: string;
}

/** The effects of one reading, inside its transaction, each explained on the timeline. */
export class ReadingEffects {
  readonly entries: NewTimelineEntry[] = [];

  constructor(
    private readonly tx: Transaction<DB>,
    private readonly capabilities: Capabilities,
    private readonly emit: Emit,
    private lead: LeadRow,
    private readonly inbound: InboundRow,
    private readonly now: Date,
  ) {}

  private entry(call: Parameters<typeof toolCallEntry>[3]): void {
    this.entries.push(toolCallEntry(this.lead.org_id, this.lead.id, this.now, call));
  }

  private async updateLead(set: {
    summary?: string;
    additional_info?: string;
    follow_up_step?: number;
    next_follow_up_at?: null;
  }) {
    await this.tx
      .updateTable("leads")
      .set({ ...set, ...(await leadStamp(this.tx, this.lead.org_id, this.lead.id, this.now)) })
      .where("id", "=", this.lead.id)
      .execute();
    this.lead = { ...this.lead, ...set };
  }

  async actOnIntent(
    reading: Reading,
    inputs: AssistantInputs,
    brain: Answer<Reading>["brain"],
  ): Promise<void> {
    const intent = reading.intent;
    const contact = leadContact(this.lead);
    const channel =
      intent === "opt_out_channel" ? (reading.optOutChannel ?? this.inbound.channel) : this.inbound.channel;
    if (intent === "do_not_contact") {
      await doNotContact(this.tx, this.emit, contact, this.inbound.text, this.now);
      this.entry({
        tool: "do_not_contact",
        brain,
        intent,
        result: "applied",
        reason: "the lead asked to stop all contact: do-not-contact list and an opt-out on every channel",
      });
    } else if (intent === "opt_out_channel") {
      await optOut(
        this.tx,
        this.emit,
        contact,
        {
          channel,
          reason: channel === "email" ? "MANUAL" : null,
          isTwilioOptOut: channel === "sms" ? false : null,
          optOutMessage: this.inbound.text,
          isDoNotContact: false,
          // "No calls, text me" names the channel it still wants: not linked to the others.
          linked: channel !== "call" && inputs.settings.linkedOptOut,
        },
        this.now,
      );
      this.entry({
        tool: "opt_out",
        brain,
        intent,
        result: "applied",
        reason: `the lead asked to stop ${channel} only`,
      });
    } else if (intent === "wrong_number") {
      await this.updateLead({ follow_up_step: STOPPED, next_follow_up_at: null });
      const tagId = await this.wrongNumberTag();
      await tagFromConversation(this.tx, this.emit, this.lead, [tagId], this.inbound.channel, this.now);
      this.entry({
        tool: "stop_follow_ups",
        brain,
        intent,
        result: "applied",
        reason: `wrong number: follow-ups stopped and tagged ${WRONG_NUMBER_TAG}`,
      });
    } else if (intent === "not_interested") {
      await this.updateLead({ follow_up_step: STOPPED, next_follow_up_at: null });
      this.entry({
        tool: "stop_follow_ups",
        brain,
        intent,
        result: "applied",
        reason: "the lead is not interested: follow-ups stopped",
      });
    }
  }

  private async wrongNumberTag(): Promise<string> {
    const existing = await this.tx
      .selectFrom("tags")
      .select("id")
      .where("org_id", "=", this.lead.org_id)
      .where("name", "=", WRONG_NUMBER_TAG)
      .executeTakeFirst();
    if (existing !== undefined) return existing.id;
    const id = newId("tag");
    const at = toIso(this.now);
    await this.tx
      .insertInto("tags")
      .values({
        id,
        org_id: this.lead.org_id,
        name: WRONG_NUMBER_TAG,
        color: null,
        condition: null,
        is_manual: 0,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(["org_id", "name"]).doNothing())
      .execute();
    const row = await this.tx
      .selectFrom("tags")
      .select("id")
      .where("org_id", "=", this.lead.org_id)
      .where("name", "=", WRONG_NUMBER_TAG)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async tag(tagIds: readonly string[], brain: Answer<Reading>["brain"], intent: Intent): Promise<void> {
    const names = await tagFromConversation(
      this.tx,
      this.emit,
      this.lead,
      tagIds,
      this.inbound.channel,
      this.now,
    );
    for (const name of names)
      this.entry({
        tool: "tag_lead",
        brain,
        intent,
        result: name,
        reason: `the condition of tag ${name} is met`,
      });
  }

  async notify(
    rule: ConditionRule,
    message: string,
    brain: Answer<Reading>["brain"],
    recipients: readonly string[],
  ): Promise<NotificationEmail | undefined> {
    await this.emit({
      orgId: this.lead.org_id,
      leadId: this.lead.id,
      type: "notification",
      data: notificationData({
        lead: { leadId: this.lead.id, phone: this.lead.phone, externalLeadId: this.lead.external_lead_id },
        channel: this.inbound.channel,
        notificationName: rule.name,
        notificationMessage: message,
      }),
    });
    this.entry({
      tool: "notify",
      brain,
      result: rule.name,
      reason: recipients.length === 0 ? message : `${message} (emailed ${recipients.join(", ")})`,
    });
    if (recipients.length === 0) return undefined;
    const who = `${this.lead.first_name} ${this.lead.last_name}`.trim() || this.lead.phone;
    return {
      orgId: this.lead.org_id,
      to: [...recipients],
      subject: `${rule.name}: ${who}`,
      text: `${message}\n\nLead: ${who} (${this.lead.phone})\nTheir message (${this.inbound.channel}): ${this.inbound.text}\nLead id: ${this.lead.id}`,
    };
  }

  async extract(values: Record<string, string>, brain: Answer<Reading>["brain"]): Promise<void> {
    if (Object.keys(values).length === 0) return;
    const merged = await applyAdditionalInfo(this.emit, this.lead, values, this.lead.external_lead_id);
    if (merged === undefined) return;
    await this.updateLead({ additional_info: merged });
    this.entry({
      tool: "extract_info",
      brain,
      result: Object.keys(values).join(", "),
      reason: Object.entries(values)
        .map(([key, value]) => `${key}: ${value}`)
        .join("; "),
    });
  }

  async summarize(summary: string, brain: Answer<Reading>["brain"]): Promise<void> {
    const text = summary.trim().slice(0, 2000);
    if (text === "" || text === this.lead.summary) return;
    await this.updateLead({ summary: text });
    this.entry({ tool: "update_summary", brain, result: "updated", reason: text });
  }

  /** Why no reply may go now, if so (assistant.md "Reply"). */
  private async replyRefusal(): Promise<string | undefined> {
    if (this.lead.is_ai_on === 0) return "the assistant is off for this lead (isAiOn: false)";
    const channel = this.inbound.channel;
    // The three checks in one statement: each is a round trip on PostgreSQL, and this runs per reply.
    const found = await this.tx
      .selectNoFrom((eb) => [
        eb
          .selectFrom("lead_opt_outs")
          .select(eb.lit(1).as("one"))
          .where("lead_id", "=", this.lead.id)
          .where("channel", "=", channel)
          .limit(1)
          .as("optedOut"),
        eb
          .selectFrom("dnc")
          .select(eb.lit(1).as("one"))
          .where("org_id", "=", this.lead.org_id)
          .where("phone", "=", this.lead.phone)
          .limit(1)
          .as("onDnc"),
        // A person (the API, the dashboard) wrote to the lead after it wrote.
        eb
          .selectFrom("messages")
          .select(eb.lit(1).as("one"))
          .where("lead_id", "=", this.lead.id)
          .where("direction", "=", "outbound")
          .where("author", "=", "person")
          .where("created_at", ">=", this.inbound.created_at)
          .limit(1)
          .as("personWrote"),
      ])
      .executeTakeFirstOrThrow();
    if (found.optedOut !== null) return `the lead opted out of ${channel}`;
    if (found.onDnc !== null) return "the lead's phone is on the do-not-contact list";
    if (found.personWrote !== null)
      return "a person sent this lead a message after it wrote: a human took over";
    return undefined;
  }

  async reply(reply: ComposedDraft, inputs: AssistantInputs, intent: Intent): Promise<void> {
    const close = intent === "not_interested";
    const tool = close ? "close_conversation" : "reply";
    const refusal = await this.replyRefusal();
    if (refusal !== undefined) {
      this.entry({ tool, brain: reply.brain, intent, result: "skipped", reason: refusal });
      return;
    }
    const channel = this.inbound.channel;
    const received = new Date(this.inbound.created_at);
    const delayed = new Date(
      Math.max(this.now.getTime(), received.getTime() + inputs.settings.responseDelaySeconds * 1000),
    );
    const fresh = this.now.getTime() - received.getTime() <= FRESH_MS;
    const dueAt = fresh
      ? delayed
      : nextSendTime(delayed, inputs.settings, this.lead, channel, { window: true });
    const message = {
      orgId: this.lead.org_id,
      leadId: this.lead.id,
      channel,
      text: reply.draft.text,
      subject: reply.draft.subject,
      dueAt,
      followUpStep: null,
      followUpCycle: null,
      // After a reply the sequence restarts at step 1 (messaging.md); a close ends the conversation.
      scheduleFollowUps: !close,
      overrideBusinessHours: false,
      sendWhenOff: false,
      author: "assistant" as const,
      replyToId: this.inbound.id,
    };
    const blocked =
      reply.problem === undefined
        ? undefined
        : `the assistant's draft failed its guards twice: ${reply.problem}`;
    const messageId = await insertOutboundMessage(
      this.tx,
      this.capabilities,
      message,
      this.now,
      blocked === undefined ? "queued" : "blocked",
      blocked ?? null,
    );
    this.entry({
      tool,
      brain: reply.brain,
      intent,
      result: blocked === undefined ? "queued" : "blocked",
      reason: withNotes(
        blocked ??
          (fresh
            ? `reply due ${toIso(dueAt)}`
            : `reply due ${toIso(dueAt)} (the message is over 30 minutes old: it waits for the window)`),
        reply.notes,
      ),
      messageId,
    });
  }
}
