import { z } from "zod";
import type { SentLookup, SentMatch, SentMessageQuery } from "../../domain/messages/providers.js";

/** Twilio allows up to 1,000; 100 keeps each page small while a window rarely needs a second. */
const PAGE_SIZE = 100;
/** A window holding more than this many messages to one number is not a lookup we can finish. */
const MAX_PAGES = 20;

/** The fields of Twilio's Message resource we read; the rest of each entry is ignored. */
const listedMessage = z.object({
  sid: z.string().min(1),
  to: z.string().nullable(),
  from: z.string().nullable().optional(),
  body: z.string().nullable(),
  date_sent: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  direction: z.string().nullable().optional(),
  messaging_service_sid: z.string().nullable().optional(),
});
type ListedMessage = z.infer<typeof listedMessage>;

const listPage = z.object({
  messages: z.array(listedMessage),
  next_page_uri: z.string().nullable().optional(),
});

export interface TwilioListOptions {
  /** `…/2010-04-01/Accounts/{AccountSid}/Messages.json` on the configured base URL. */
  listUrl: URL;
  /** One authenticated GET; the adapter owns credentials, timeouts and the body cap. */
  get: (url: URL) => Promise<{ statusCode: number; text: string }>;
  /** The sender a send with these overrides uses: ["From", number] or ["MessagingServiceSid", sid]. */
  senderOf: (query: SentMessageQuery) => [string, string] | undefined;
  /** Removes credentials from anything we report. */
  scrub: (text: string) => string;
}

/** Whole seconds, UTC, as Twilio's date-time filters take them. */
function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Twilio may rewrite a body (a Messaging Service's Smart Encoding swaps curly quotes and dashes)
 * or append to it (compliance text such as "Reply STOP to unsubscribe"). Missing our own message
 * would later mean sending it twice, the one outcome we never accept, so such look-alikes match.
 */
function normalized(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/\s+/g, " ")
    .trim();
}

export function sameText(ours: string, theirs: string): boolean {
  const a = normalized(ours);
  const b = normalized(theirs);
  return b === a || b.startsWith(`${a} `);
}

function matches(m: ListedMessage, query: SentMessageQuery, sender: [string, string] | undefined): boolean {
  if (!(m.direction ?? "").startsWith("outbound") || m.to !== query.to) return false;
  if (m.body === null || !sameText(query.body, m.body)) return false;
  if (sender?.[0] === "From" && m.from !== sender[1]) return false;
  const service = m.messaging_service_sid ?? null;
  if (sender?.[0] === "MessagingServiceSid" && service !== null && service !== sender[1]) return false;
  // The filter is Twilio's; checked again here in case it only honours the date part.
  const sentAt = m.date_sent ? Date.parse(m.date_sent) : Number.NaN;
  return (
    Number.isNaN(sentAt) ||
    (sentAt >= query.sentAfter.getTime() - 1000 && sentAt <= query.sentBefore.getTime())
  );
}

function firstPage(
  options: TwilioListOptions,
  query: SentMessageQuery,
  sender: [string, string] | undefined,
) {
  const url = new URL(options.listUrl);
  url.searchParams.set("To", query.to);
  // With a Messaging Service, Twilio picks the number, so only a From number narrows the list.
  if (sender?.[0] === "From") url.searchParams.set("From", sender[1]);
  // The names are `DateSent>` and `DateSent<` (on or after / on or before): in a URL they read
  // `DateSent>=…` and `DateSent<=…`, as Twilio documents them.
  url.searchParams.set("DateSent>", isoSeconds(query.sentAfter));
  url.searchParams.set("DateSent<", isoSeconds(query.sentBefore));
  url.searchParams.set("PageSize", String(PAGE_SIZE));
  return url;
}

/** Twilio's next_page_uri is a path on its API host; it must never send our credentials elsewhere. */
function nextPage(options: TwilioListOptions, uri: string): URL | undefined {
  const base = new URL(options.listUrl);
  const prefix = base.pathname.slice(0, base.pathname.indexOf("/2010-04-01/"));
  const next = new URL(uri.startsWith("/2010-04-01/") ? `${prefix}${uri}` : uri, base.origin);
  return next.origin === base.origin ? next : undefined;
}

/**
 * Looks a message up through Twilio's Messages list resource: to the lead, from our number when
 * we sent from one, sent within the window, following `next_page_uri` to the end. Only a complete
 * read is an answer; any failure (network, 5xx, 429, a page we cannot read) is `failed`.
 */
export async function listSentMessages(
  options: TwilioListOptions,
  query: SentMessageQuery,
): Promise<SentLookup> {
  const sender = options.senderOf(query);
  const found: SentMatch[] = [];
  let url: URL | undefined = firstPage(options, query, sender);
  try {
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES) return { kind: "failed", message: `more than ${MAX_PAGES} pages of messages` };
      const answer = await options.get(url);
      if (answer.statusCode !== 200) {
        const detail = /"message"\s*:\s*"([^"]{0,200})"/.exec(answer.text)?.[1] ?? "no error message";
        return { kind: "failed", message: options.scrub(`Twilio list ${answer.statusCode}: ${detail}`) };
      }
      let json: unknown;
      try {
        json = JSON.parse(answer.text);
      } catch {
        return { kind: "failed", message: "Twilio list answered with a body that is not JSON (or too long)" };
      }
      const parsed = listPage.safeParse(json);
      if (!parsed.success) return { kind: "failed", message: "Twilio list answered without a messages page" };
      for (const m of parsed.data.messages) {
        if (matches(m, query, sender)) {
          found.push({ providerMessageId: m.sid, ...(m.status ? { status: m.status } : {}) });
        }
      }
      const next = parsed.data.next_page_uri;
      url = next ? nextPage(options, next) : undefined;
      if (next && url === undefined)
        return { kind: "failed", message: "Twilio's next page is on another host" };
    }
  } catch (error) {
    return { kind: "failed", message: options.scrub(error instanceof Error ? error.message : String(error)) };
  }
  return { kind: "answered", matches: found };
}
