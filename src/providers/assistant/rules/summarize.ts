import { DateTime } from "luxon";
import type {
  AssistantLead,
  Channel,
  ConversationTurn,
  Intent,
} from "../../../domain/assistant/assistant.js";

export interface SummaryInput {
  lead: AssistantLead;
  conversation: readonly ConversationTurn[];
  intent: Intent;
  extracted: Record<string, string>;
  now: Date;
}

const MAX_QUOTE = 120;
const MAX_KNOWN = 5;
const MAX_VALUE = 60;

/** additionalInfo keys that identify or authenticate rather than describe the lead. */
const NOT_RELEVANT_KEY = /(?:^|_)(?:id|ids|uuid|token|secret|password|hash|key)$/i;
const NOT_RELEVANT_CAMEL_KEY = /[a-z0-9](?:Id|Ids|Uuid|Token|Secret|Password|Hash|Key)$/;

function reading(intent: Intent, channel: Channel): string {
  return intent === "opt_out_channel"
    ? ` asking to stop messages by ${channelName(channel)}`
    : READING[intent];
}

const READING: Record<Intent, string> = {
  do_not_contact: " asking not to be contacted again",
  opt_out_channel: " asking to stop messages on this channel",
  wrong_number: " saying we have the wrong number",
  not_interested: " saying they are not interested",
  question: " asking a question",
  interested: " showing interest",
  booking: " asking to book a call or meeting",
  other: "",
};

function channelName(channel: Channel): string {
  return channel === "sms" ? "SMS" : "email";
}

function nextStep(intent: Intent, channel: Channel): string {
  switch (intent) {
    case "do_not_contact":
      return "Next: no further contact on any channel.";
    case "opt_out_channel":
      return `Next: no more messages by ${channelName(channel)}.`;
    case "wrong_number":
      return "Next: no further contact; this is not the lead's number.";
    case "not_interested":
      return "Next: nothing; follow-ups are stopped.";
    case "question":
      return "Next: a teammate should answer the question.";
    case "interested":
      return "Next: help them pick a time to talk.";
    case "booking":
      return "Next: confirm a time for the call or meeting.";
    case "other":
      return "Next: read the reply and respond if needed.";
  }
}

/** Whole words up to `max` characters, with an ellipsis when anything was left out. */
function quote(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").replace(/"/g, "'").trim();
  if (flat.length <= max) return flat;
  const room = flat.slice(0, max - 1);
  const cut = room.lastIndexOf(" ");
  return `${(cut > max / 2 ? room.slice(0, cut) : room).trimEnd()}…`;
}

/** The turn's calendar date where the lead is (UTC when their zone is unknown or invalid). */
function dateOf(at: string, timeZone: string | null): string {
  const instant = DateTime.fromISO(at, { zone: "utc" });
  if (!instant.isValid) return at.slice(0, 10);
  const local = timeZone === null ? instant : instant.setZone(timeZone);
  return (local.isValid ? local : instant).toISODate() ?? at.slice(0, 10);
}

/** " (3 days ago)" for a turn at least a day old; nothing for today's, or a clock that went backwards. */
function ago(at: string, now: Date): string {
  const days = Math.floor((now.getTime() - Date.parse(at)) / 86_400_000);
  if (!Number.isFinite(days) || days < 1) return "";
  return ` (${days} ${days === 1 ? "day" : "days"} ago)`;
}

function scalar(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value.replace(/\s+/g, " ").trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return null;
}

function clip(value: string): string {
  return value.length <= MAX_VALUE ? value : `${value.slice(0, MAX_VALUE - 1).trimEnd()}…`;
}

/** What we know: freshly extracted values first, then the lead's other plain additionalInfo values. */
function known(extracted: Record<string, string>, additionalInfo: Record<string, unknown>): string[] {
  const facts = new Map<string, string>();
  for (const [key, value] of Object.entries(extracted)) {
    const text = scalar(value);
    if (text !== null && !facts.has(key)) facts.set(key, text);
  }
  for (const key of Object.keys(additionalInfo).sort()) {
    if (facts.has(key) || NOT_RELEVANT_KEY.test(key) || NOT_RELEVANT_CAMEL_KEY.test(key)) continue;
    const text = scalar(additionalInfo[key]);
    if (text !== null) facts.set(key, text);
  }
  return [...facts].slice(0, MAX_KNOWN).map(([key, value]) => `${key} ${clip(value)}`);
}

/**
 * Two to four sentences about where the conversation stands, for `summary` on the lead. Built only
 * from the conversation and what was read from it, so the same inputs always give the same text.
 */
export function summarize(input: SummaryInput): string {
  const { lead, conversation, intent } = input;
  const name = lead.firstName.trim() || "The lead";
  const from = lead.firstName.trim() || "the lead";
  const inbound = conversation.filter((turn) => turn.direction === "inbound");
  const last = inbound.at(-1);
  const sentences: string[] = [];

  if (last === undefined) {
    const lastSent = conversation.at(-1);
    sentences.push(
      lastSent === undefined
        ? `No messages with ${from} yet.`
        : `No reply from ${from} yet; we last wrote by ${channelName(lastSent.channel)} on ${dateOf(lastSent.at, lead.timeZone)}${ago(lastSent.at, input.now)}.`,
    );
  } else {
    const text = quote(last.text, MAX_QUOTE);
    const said = text === "" ? "" : `: "${text}"`;
    sentences.push(
      `${name} replied by ${channelName(last.channel)} on ${dateOf(last.at, lead.timeZone)}${reading(intent, last.channel)}${said}.`,
    );
  }

  if (conversation.length > 0) {
    const count = conversation.length;
    sentences.push(
      `${count} ${count === 1 ? "message" : "messages"} so far (${inbound.length} from ${from}).`,
    );
  }

  const facts = known(input.extracted, lead.additionalInfo);
  if (facts.length > 0) sentences.push(`Known: ${facts.join(", ")}.`);

  sentences.push(
    last === undefined
      ? "Next: wait for a reply; follow-ups continue as scheduled."
      : nextStep(intent, last.channel),
  );
  return sentences.join(" ");
}
