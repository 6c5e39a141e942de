import { createHmac, timingSafeEqual } from "node:crypto";

/** Form parameters as a body parser gives them: a repeated name becomes an array. */
export type TwilioParams = Record<string, string | string[] | undefined>;

export type TwilioMessageStatus =
  | "queued"
  | "sending"
  | "sent"
  | "delivered"
  | "undelivered"
  | "failed"
  | "read"
  // Twilio adds statuses over time (accepted, scheduled, canceled, ...): keep them, typed loosely.
  | (string & Record<never, never>);

export interface TwilioStatusCallback {
  providerMessageId: string;
  status: TwilioMessageStatus;
  errorCode?: string;
}

export interface TwilioInboundMessage {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  /** Set by Twilio's Advanced Opt-Out when the text was one of the account's keywords. */
  optOutType?: "STOP" | "START" | "HELP" | (string & Record<never, never>);
}

/** Code-unit order, as Twilio sorts ("Unix-style, case-sensitive"); localeCompare would not match. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL
 * followed by each parameter's name and value, sorted by name, with no separators. A repeated
 * name contributes each distinct value, sorted, as twilio's own helper libraries do.
 */
export function twilioSignature(url: string, params: TwilioParams, authToken: string): string {
  let data = url;
  for (const name of Object.keys(params).sort(byCodeUnit)) {
    const value = params[name];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? [...new Set(value)].sort(byCodeUnit) : [value];
    for (const v of values) data += name + v;
  }
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/**
 * The URL with its default port written out if absent, or dropped if present. Twilio has signed
 * both forms over time, so its libraries accept either; so do we.
 */
function withOtherPortForm(url: string): string | undefined {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (match === null) return undefined;
  const [, scheme = "", authority = "", rest = ""] = match;
  const defaultPort = scheme.toLowerCase() === "https" ? "443" : "80";
  const hostStart = authority.lastIndexOf("@") + 1;
  const host = authority.slice(hostStart);
  const port = /:(\d*)$/.exec(host);
  if (port === null) return `${scheme}://${authority}:${defaultPort}${rest}`;
  if (port[1] !== defaultPort) return undefined;
  return `${scheme}://${authority.slice(0, authority.length - port[0].length)}${rest}`;
}

function sameSignature(expected: string, given: Buffer): boolean {
  const wanted = Buffer.from(expected, "utf8");
  // Signatures have a fixed length, so the early exit leaks nothing an attacker lacks.
  return wanted.length === given.length && timingSafeEqual(wanted, given);
}

/** Whether the request carries Twilio's signature for this public URL and these parameters. */
export function verifyTwilioSignature(
  url: string,
  params: TwilioParams,
  authToken: string,
  header: string | undefined,
): boolean {
  if (header === undefined || header === "" || authToken === "") return false;
  const given = Buffer.from(header, "utf8");
  const alternative = withOtherPortForm(url);
  // Both forms are always computed so timing does not reveal which one matched.
  const exact = sameSignature(twilioSignature(url, params, authToken), given);
  const other =
    alternative !== undefined && sameSignature(twilioSignature(alternative, params, authToken), given);
  return exact || other;
}

/** The first non-empty value among the given names (Twilio sends some under two names). */
function field(params: TwilioParams, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = params[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") return first;
  }
  return undefined;
}

/** A message status callback, or undefined when it lacks the sid or the status. */
export function parseTwilioStatusCallback(params: TwilioParams): TwilioStatusCallback | undefined {
  const providerMessageId = field(params, "MessageSid", "SmsSid");
  const status = field(params, "MessageStatus", "SmsStatus");
  if (providerMessageId === undefined || status === undefined) return undefined;
  const errorCode = field(params, "ErrorCode");
  return { providerMessageId, status, ...(errorCode === undefined ? {} : { errorCode }) };
}

/** An inbound message, or undefined when it lacks the sid or an address. */
export function parseTwilioInbound(params: TwilioParams): TwilioInboundMessage | undefined {
  const messageSid = field(params, "MessageSid", "SmsSid");
  const from = field(params, "From");
  const to = field(params, "To");
  if (messageSid === undefined || from === undefined || to === undefined) return undefined;
  // An MMS with only a picture has an empty Body: still a message (and a reply).
  const body = field(params, "Body") ?? "";
  const optOutType = field(params, "OptOutType")?.trim().toUpperCase();
  return { messageSid, from, to, body, ...(optOutType ? { optOutType } : {}) };
}
