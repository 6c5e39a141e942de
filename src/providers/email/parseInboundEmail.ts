import {
  type AddressObject,
  type EmailAddress,
  type ParsedMail,
  parseAddressHeader,
  simpleParser,
} from "mailparser";

export interface InboundEmail {
  /** The sender's bare address, lowercased ("" when the message has no usable From). */
  from: string;
  /** Bare addresses of the To header, as written (reply tokens in the local part may be case-sensitive). */
  to: string[];
  subject: string;
  /** The new text of the reply: the plain text part (or the HTML as text) without trivially detectable quoted history. */
  text: string;
  /** Message-ID of the message this replies to, angle brackets included, as we minted it when sending. */
  inReplyTo?: string;
}

export interface BounceReport {
  kind: "bounce" | "complaint";
  /** The address that bounced or complained, lowercased. */
  recipient: string;
}

export async function parseInboundEmail(raw: Buffer | string): Promise<InboundEmail> {
  // Text-to-HTML is never used here; skipping it saves the linkify pass over every reply.
  const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  const email: InboundEmail = {
    from: (addressesOf(parsed.from)[0] ?? "").toLowerCase(),
    to: addressesOf(parsed.to),
    subject: parsed.subject ?? "",
    // mailparser already falls back to the HTML converted to text (blockquotes become "> " lines).
    text: stripQuotedHistory(parsed.text ?? ""),
  };
  if (parsed.inReplyTo !== undefined) email.inReplyTo = parsed.inReplyTo;
  return email;
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects.flatMap((object) => flattenAddresses(object.value));
}

function flattenAddresses(entries: EmailAddress[]): string[] {
  return entries.flatMap((entry) =>
    entry.group !== undefined ? flattenAddresses(entry.group) : entry.address ? [entry.address] : [],
  );
}

/**
 * Removes the quoted history a mail client appends below a reply, in two cases only:
 *
 * 1. an attribution line "On … wrote:" (on one line, or wrapped over two as Gmail does), followed
 *    (after blank lines) by a line starting with ">": everything from the attribution on goes;
 * 2. otherwise a trailing block of lines starting with ">" (blank lines allowed between them).
 *
 * Interleaved quotes (inline replies), signatures, non-English attributions and Outlook's
 * "-----Original Message-----" are kept. When nothing but quotes is left, the whole text is kept
 * rather than losing what the person sent.
 */
export function stripQuotedHistory(text: string): string {
  const original = text.replace(/\r\n?/g, "\n");
  const lines = original.split("\n");
  const attribution = findAttribution(lines);
  const kept = attribution === undefined ? lines : lines.slice(0, attribution);
  const stripped = dropTrailingQuotes(kept).join("\n").trim();
  return stripped === "" ? original.trim() : stripped;
}

const isQuoted = (line: string): boolean => line.startsWith(">");
const isBlank = (line: string): boolean => line.trim() === "";

function findAttribution(lines: string[]): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!/^On\s/.test(line.trim())) continue;
    const span = /\bwrote:\s*$/.test(line) ? 1 : /\bwrote:\s*$/.test(lines[i + 1] ?? "") ? 2 : 0;
    if (span === 0) continue;
    const next = lines.slice(i + span).find((l) => !isBlank(l));
    if (next !== undefined && isQuoted(next)) return i;
  }
  return undefined;
}

function dropTrailingQuotes(lines: string[]): string[] {
  let end = lines.length;
  let sawQuote = false;
  while (end > 0) {
    const line = lines[end - 1] ?? "";
    if (isQuoted(line)) sawQuote = true;
    else if (!isBlank(line)) break;
    end--;
  }
  return sawQuote ? lines.slice(0, end) : lines;
}

/**
 * Reads a delivery report: an RFC 3464 DSN (multipart/report; report-type=delivery-status) whose
 * recipient has `Action: failed` is a bounce (a "delayed" one is not), and an RFC 5965 ARF report
 * (report-type=feedback-report) is a complaint unless its Feedback-Type is "not-spam". Anything
 * else, including an ordinary reply, gives undefined.
 */
export async function parseBounceReport(raw: Buffer | string): Promise<BounceReport | undefined> {
  // Keep the report parts as attachments instead of folding them into the text.
  const parsed = await simpleParser(raw, {
    keepDeliveryStatus: true,
    ignoreEmbedded: true,
    skipTextToHtml: true,
    skipHtmlToText: true,
    skipImageLinks: true,
  });
  const contentType = parsed.headers.get("content-type");
  if (!isStructured(contentType) || contentType.value.toLowerCase() !== "multipart/report") return undefined;
  const reportType = contentType.params["report-type"]?.toLowerCase();
  if (reportType === "delivery-status") return bounceFrom(parsed);
  if (reportType === "feedback-report") return complaintFrom(parsed);
  return undefined;
}

function isStructured(
  value: unknown,
): value is { value: string; params: Record<string, string | undefined> } {
  return typeof value === "object" && value !== null && "value" in value && "params" in value;
}

function bounceFrom(parsed: ParsedMail): BounceReport | undefined {
  const part = partOfType(parsed, ["message/delivery-status", "message/global-delivery-status"]);
  if (part === undefined) return undefined;
  // Per-message fields come first and never carry Action, so every group can be checked alike.
  for (const fields of parseFieldGroups(part)) {
    if (fields.get("action")?.toLowerCase() !== "failed") continue;
    const recipient = addressOfTypedField(fields.get("final-recipient") ?? fields.get("original-recipient"));
    if (recipient !== undefined) return { kind: "bounce", recipient };
  }
  return undefined;
}

function complaintFrom(parsed: ParsedMail): BounceReport | undefined {
  const report = partOfType(parsed, ["message/feedback-report"]);
  if (report === undefined) return undefined;
  const fields = parseFieldGroups(report)[0] ?? new Map<string, string>();
  if (fields.get("feedback-type")?.toLowerCase() === "not-spam") return undefined;
  const recipient = bareAddress(fields.get("original-rcpt-to")) ?? originalTo(parsed);
  return recipient === undefined ? undefined : { kind: "complaint", recipient };
}

/** The To of the reported message, carried whole (message/rfc822) or as its headers only. */
function originalTo(parsed: ParsedMail): string | undefined {
  const original = partOfType(parsed, ["message/rfc822", "text/rfc822-headers", "message/global"]);
  if (original === undefined) return undefined;
  const headers = parseFieldGroups(original)[0];
  const to = headers?.get("to");
  if (to === undefined) return undefined;
  return bareAddress(addressesOf(parseAddressHeader(to))[0]);
}

function partOfType(parsed: ParsedMail, types: string[]): string | undefined {
  const part = parsed.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
  return part?.content.toString("utf8");
}

/**
 * Splits header-style text ("Name: value" lines, continuation lines starting with whitespace)
 * into blank-line separated groups, field names lowercased. A field repeated in one group keeps
 * its first value.
 */
export function parseFieldGroups(text: string): Map<string, string>[] {
  const unfolded = text.replace(/\r\n?/g, "\n").replace(/\n[ \t]+/g, " ");
  const groups: Map<string, string>[] = [];
  for (const block of unfolded.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split("\n")) {
      const match = /^([!-9;-~]+):\s*(.*)$/.exec(line);
      const name = match?.[1]?.toLowerCase();
      if (name !== undefined && !fields.has(name)) fields.set(name, match?.[2]?.trim() ?? "");
    }
    if (fields.size > 0) groups.push(fields);
  }
  return groups;
}

/** "rfc822; User@Example.com" → "user@example.com" (DSN address fields carry an address type first). */
function addressOfTypedField(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const separator = value.indexOf(";");
  return bareAddress(separator === -1 ? value : value.slice(separator + 1));
}

function bareAddress(value: string | undefined): string | undefined {
  const address = value
    ?.trim()
    .replace(/^<(.*)>$/, "$1")
    .trim();
  return address === undefined || !address.includes("@") ? undefined : address.toLowerCase();
}
