import * as chrono from "chrono-node";
import { DateTime, IANAZone } from "luxon";
import type { AssistantCommand, CommandRequest } from "../../../domain/assistant/assistant.js";

/**
 * The rules brain's reading of an operator's instruction (`addContext` with `command`): a few
 * phrasings per command, tried from the most specific to the least, so that "send: stop following
 * up" sends a message and "stop the AI" is not taken for "stop following up".
 */

export const UNDERSTOOD =
  'I understand: send a message now ("send: <text>", "text them that <text>"), follow up at a time ' +
  '("follow up in 2 days", "follow up on Friday at 10am"), stop follow-ups ("stop follow-ups") and ' +
  'turn the assistant off for this lead ("turn off the assistant", "I\'ll handle this one").';

const DEFAULT_HOUR = 10;
const MAX_DAYS_AHEAD = 365;
const DAY_MS = 86_400_000;

const OBJECT = "(?:them|him|her|the lead|the customer|the client|back)";
const POLITE = String.raw`^(?:(?:please|pls|can you|could you|go ahead and|just|ok|okay)[,\s]+)*`;

/** Explicit forms that put the message after a colon: "send: …", "text them: …", "reply: …". */
const SEND_COLON = new RegExp(
  String.raw`${POLITE}(?:send|text|sms|email|e-mail|message|msg|reply|respond|say|write)(?:\s+${OBJECT})?(?:\s+(?:a|an)\s+(?:text|message|sms|email))?(?:\s+(?:saying|that says))?\s*:\s*(.+)$`,
  "is",
);
/** The message in quotes: send "…", text them "…", send them a text saying "…". */
const SEND_QUOTED = new RegExp(
  String.raw`${POLITE}(?:send|text|sms|email|e-mail|message|reply|say|write)(?:\s+${OBJECT})?(?:\s+(?:a|an)\s+(?:text|message|sms|email))?(?:\s+(?:saying|that says|with))?\s+(["“'‘].+["”'’])\s*$`,
  "is",
);
/** "text them that …", "email Dana that …", "let them know that …", "send them a text saying …". */
const SEND_THAT = new RegExp(
  String.raw`${POLITE}(?:(?:text|sms|email|e-mail|message|msg|tell|remind|inform)\s+(?:${OBJECT}|[a-z][\w'-]*)\s+that|let\s+${OBJECT}\s+know(?:\s+that)?|send\s+(?:${OBJECT}\s+)?(?:a|an)\s+(?:text|message|sms|email)\s+(?:saying|that says|telling them(?:\s+that)?))\s+(.+)$`,
  "is",
);
/** "tell them …": the rest is the message ("tell them to call us" asks them to). */
const SEND_TELL = new RegExp(String.raw`${POLITE}tell\s+${OBJECT}\s+(.+)$`, "is");

/** "text them that" with nothing after it: a send without a message. */
const EMPTY_SEND =
  /^(?:please\s+)?(?:send|text|sms|email|e-mail|message|reply|say|tell|let)\b[^:]*?(?:\s*:|\s+that|\s+know|\s+saying)$/;

/** "don't stop…", "do not turn off…": nothing to change, and not a stop. */
const NEGATED_STOP =
  /\b(?:don'?t|do not|never|no need to)\s+(?:stop|pause|cancel|end|turn off|switch off|disable|halt)\b/;

/** A person taking the conversation over: the assistant goes quiet for this lead. */
const TAKE_OVER = [
  /\bi(?:'ll| will|'m going to| am going to)\s+(?:handle|deal with|take care of|respond to|reply to|answer|take (?:it|this|over|them|him|her)|(?:call|text|email|contact) (?:them|him|her) (?:myself|personally)|reach out (?:myself|personally))\b/,
  /\b(?:let me|i want to|i'd like to)\s+(?:handle|take over|deal with|take it from here|respond)\b/,
  /\b(?:take|taking)\s+(?:it\s+|this\s+)?over\b/,
  /\bi(?:'ve| have)\s+got\s+(?:this|it)\b/,
  /\bhands off\b/,
  /\bhuman(?:\s+|-)(?:takeover|only|mode)\b/,
  /\bmanual(?:\s+|-)mode\b/,
];

const BOT = String.raw`(?:the\s+|your\s+|this\s+|our\s+)?(?:ai|a\.i\.|assistant|bot|chatbot|robot|automation|autopilot|auto[- ]?(?:reply|replies|responder))`;
const FOLLOW_UPS =
  "(?:follow[- ]?ups?|followups?|following[- ]up|sequences?|drips?|cadences?|nurture|campaigns?|reminders?|check[- ]?ins?)";

const ASSISTANT_OFF = [
  new RegExp(String.raw`\b(?:turn|switch|shut|power)\s+(?:off|down)\s+${BOT}\b`),
  new RegExp(String.raw`\b(?:turn|switch|shut)\s+${BOT}\s+(?:off|down)\b`),
  new RegExp(
    String.raw`\b(?:stop|pause|disable|deactivate|kill|mute|silence|suspend|halt|quit|end|exit)\s+${BOT}\b`,
  ),
  new RegExp(String.raw`^${BOT}\s*[:=-]?\s*(?:off|disabled|paused|stop|pause)$`),
  /\b(?:ai|assistant|bot)\s+off\b/,
  /\b(?:no more|stop|pause|disable)\s+(?:ai|automated|auto|bot)\s+(?:replies|responses|answers|messages|texts)\b/,
  /\b(?:don'?t|do not)\s+(?:let|have)\s+(?:the\s+)?(?:ai|assistant|bot)\s+(?:reply|respond|answer|talk|text)\b/,
];

const STOP_FOLLOW_UPS = [
  new RegExp(
    String.raw`\b(?:stop|pause|cancel|end|halt|disable|turn off|switch off|suspend|kill|skip|remove (?:them |him |her )?from|take (?:them |him |her )?off|unenroll (?:them |him |her )?from)\s+(?:(?:all|the|any|their|his|her|further|these|those|future|automated|auto|ai|scheduled|remaining)\s+)*${FOLLOW_UPS}\b`,
  ),
  new RegExp(
    String.raw`\b(?:stop|prevent)\s+${BOT}\s+from\s+(?:following[- ]up|texting|emailing|messaging|contacting)\b`,
  ),
  new RegExp(String.raw`\bno\s+(?:more|further)\s+(?:${FOLLOW_UPS}|messages|texts|emails)\b`),
  /\b(?:stop|quit)\s+(?:following[- ]up|chasing|pinging|texting|emailing|messaging|contacting)\b/,
  /\b(?:don'?t|do not)\s+(?:follow[- ]?up|contact|text|email|message|reach out|chase)\b/,
  new RegExp(String.raw`\b${FOLLOW_UPS}\s+(?:off|stopped|paused|cancell?ed|disabled)\b`),
  /\bunenroll\b/,
];

/** Verbs that ask for a follow-up at a time ("follow up…", "remind…", "check in with them…"). */
const FOLLOW_UP_AT =
  /\b(?:follow[- ]?up|followup|remind(?:er)?|check[- ]?in|check back|reach out|circle back|ping|touch base|contact|text|call|email|message|get back to|try (?:them |him |her )?again|schedule)\b/;

/** Words that may surround a bare time ("tomorrow at 9, please") without making it something else. */
const FILLER = /\b(?:please|pls|ok|okay|then|again|on|at|in|by|around|about|the|them|him|her|lead)\b/g;

function notUnderstood(reason: string): AssistantCommand {
  return { kind: "not_understood", reason };
}

/** The message as the lead should read it: surrounding quotes gone, first letter capitalised. */
function messageText(raw: string): string {
  let text = raw.trim();
  const pairs: [string, string][] = [
    ['"', '"'],
    ["“", "”"],
    ["'", "'"],
    ["‘", "’"],
  ];
  for (const [open, close] of pairs) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) {
      text = text.slice(open.length, -close.length).trim();
      break;
    }
  }
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function send(raw: string, tell: boolean): AssistantCommand {
  let text = raw.trim();
  // "tell them to call us back" is a request to the lead: "Please call us back".
  if (tell && /^to\s+\S/i.test(text)) text = `please ${text.replace(/^to\s+/i, "")}`;
  const message = messageText(text);
  if (message === "") return notUnderstood(`There is no message to send. ${UNDERSTOOD}`);
  return { kind: "send", text: message };
}

function matchSend(command: string): AssistantCommand | undefined {
  const colon = SEND_COLON.exec(command) ?? SEND_QUOTED.exec(command) ?? SEND_THAT.exec(command);
  if (colon?.[1] !== undefined) return send(colon[1], false);
  const tell = SEND_TELL.exec(command);
  if (tell?.[1] !== undefined) return send(tell[1], true);
  return undefined;
}

/** Lower case, straight apostrophes, single spaces, no trailing punctuation: what the patterns read. */
function normalise(command: string): string {
  return command
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, " ")
    .replace(/[\s.!?,;]+$/, "")
    .trim();
}

/** An unknown zone should not cost the operator the command; UTC is the least surprising guess. */
function zoneOf(timeZone: string): string {
  return IANAZone.isValidZone(timeZone) ? timeZone : "UTC";
}

/** A time of day for "morning", "evening"… when chrono only implied one. */
function casualHour(tags: ReadonlySet<string>): number | undefined {
  if (tags.has("casualReference/morning")) return 9;
  if (tags.has("casualReference/afternoon")) return 14;
  if (tags.has("casualReference/evening")) return 18;
  if (tags.has("casualReference/tonight") || tags.has("casualReference/night")) return 19;
  return undefined;
}

/**
 * When a follow-up should happen, as an instant. chrono reads the words against the wall clock
 * in the lead's zone (handed over as if it were UTC), and luxon turns the date and time it found
 * back into an instant in that zone, so "Monday at 10am" after a DST change is still 10:00 there;
 * a fixed offset would be an hour off.
 */
function followUpTime(text: string, now: Date, timeZone: string): { at: Date; matched: string } | undefined {
  const zone = zoneOf(timeZone);
  const local = DateTime.fromJSDate(now, { zone });
  const wallClock = new Date(
    Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      local.hour,
      local.minute,
      local.second,
      local.millisecond,
    ),
  );
  const [result] = chrono.parse(text, { instant: wallClock, timezone: 0 }, { forwardDate: true });
  if (result === undefined) return undefined;
  const start = result.start;
  const tags = start.tags();
  // "in 3 hours" is a duration: the same span of real time, whatever the clock does meanwhile.
  if (tags.has("result/relativeDateAndTime"))
    return {
      at: new Date(now.getTime() + (start.date().getTime() - wallClock.getTime())),
      matched: result.text,
    };
  // "at 9am EST" names its own offset.
  if (start.isCertain("timezoneOffset")) return { at: start.date(), matched: result.text };
  const hour = start.isCertain("hour") ? start.get("hour") : (casualHour(tags) ?? DEFAULT_HOUR);
  const minute = start.isCertain("hour") ? start.get("minute") : 0;
  const at = DateTime.fromObject(
    {
      year: start.get("year") ?? local.year,
      month: start.get("month") ?? local.month,
      day: start.get("day") ?? local.day,
      hour: hour ?? DEFAULT_HOUR,
      minute: minute ?? 0,
    },
    { zone },
  );
  return at.isValid ? { at: at.toJSDate(), matched: result.text } : undefined;
}

/**
 * "Don't follow up until Friday", "pause follow-ups until Monday", "hold off till next week": a
 * pause with an end is a follow-up at that time, not a stop.
 */
function matchUntil(
  command: string,
  normalised: string,
  request: CommandRequest,
): AssistantCommand | undefined {
  if (
    !/\b(?:until|till|til|'til)\b/.test(normalised) ||
    TAKE_OVER.some((pattern) => pattern.test(normalised))
  )
    return undefined;
  const time = followUpTime(command, request.now, request.timeZone);
  return time === undefined ? undefined : checkedTime(time, request.now);
}

function checkedTime(time: { at: Date; matched: string }, now: Date): AssistantCommand {
  const { at } = time;
  if (at.getTime() <= now.getTime())
    return notUnderstood(`"${time.matched}" is in the past; a follow-up must be in the future.`);
  if (at.getTime() - now.getTime() > MAX_DAYS_AHEAD * DAY_MS)
    return notUnderstood(
      `"${time.matched}" is more than ${MAX_DAYS_AHEAD} days ahead; follow-ups are scheduled within a year.`,
    );
  return { kind: "follow_up_at", at };
}

function matchFollowUp(
  command: string,
  normalised: string,
  request: CommandRequest,
): AssistantCommand | undefined {
  const hasVerb = FOLLOW_UP_AT.test(normalised);
  const time = followUpTime(command, request.now, request.timeZone);
  if (time === undefined) {
    if (!hasVerb) return undefined;
    return notUnderstood(
      `I could not tell when to follow up; say when, e.g. "follow up in 2 days", "follow up tomorrow at 9" or "follow up on Friday at 10am". ${UNDERSTOOD}`,
    );
  }
  // A bare time ("tomorrow at 9") is a follow-up; other words around a time are something else.
  const rest = normalised
    .replace(time.matched.toLowerCase(), " ")
    .replace(FILLER, " ")
    .replace(/[\s,.!?]+/g, "");
  if (!hasVerb && rest !== "") return undefined;
  return checkedTime(time, request.now);
}

/** Reads an operator's instruction; anything it cannot carry out is `not_understood`, with why. */
export function parseCommand(request: CommandRequest): AssistantCommand {
  const command = request.command.trim();
  if (command === "") return notUnderstood(`The command is empty. ${UNDERSTOOD}`);

  const sent = matchSend(command);
  if (sent !== undefined) return sent;

  const normalised = normalise(command);
  if (EMPTY_SEND.test(normalised)) return notUnderstood(`There is no message to send. ${UNDERSTOOD}`);
  const until = matchUntil(command, normalised, request);
  if (until !== undefined) return until;
  if (NEGATED_STOP.test(normalised))
    return notUnderstood(`That asks not to stop anything, so there is nothing to change. ${UNDERSTOOD}`);
  if (TAKE_OVER.some((pattern) => pattern.test(normalised))) return { kind: "assistant_off" };
  if (STOP_FOLLOW_UPS.some((pattern) => pattern.test(normalised))) return { kind: "stop_follow_ups" };
  if (ASSISTANT_OFF.some((pattern) => pattern.test(normalised))) return { kind: "assistant_off" };
  if (/^(?:stop|pause|off|cancel|halt|enough)$/.test(normalised))
    return notUnderstood(
      `Stop what? Say "stop follow-ups" to stop the follow-up messages, or "turn off the assistant" to stop it replying to this lead.`,
    );

  const followUp = matchFollowUp(command, normalised, request);
  if (followUp !== undefined) return followUp;

  return notUnderstood(`I did not understand "${clipCommand(command)}". ${UNDERSTOOD}`);
}

function clipCommand(command: string): string {
  const flat = command.replace(/\s+/g, " ");
  return flat.length <= 80 ? flat : `${flat.slice(0, 79)}…`;
}
