import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake Twilio received it. */
export interface FakeTwilioRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form body, parsed; a repeated name keeps its last value (see `rawBody` for the rest). */
  params: Record<string, string>;
  /** The query string, parsed (the Messages list's filters and paging). */
  query: Record<string, string>;
  rawBody: string;
  /** The basic-auth credentials, when the Authorization header carried any. */
  auth: { username: string; password: string } | undefined;
  receivedAt: Date;
}

/**
 * What to do with a request: answer (optionally late), never answer, or drop the connection once
 * the body is read (the "did it arrive?" case). `created`: Twilio took the message (it is listed
 * from then on) and only its answer is lost.
 */
export type FakeTwilioReply =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { hang: true; created?: boolean }
  | { destroySocket: true; created?: boolean };

/** Scripts a reply; returning undefined lets the fake behave like Twilio. */
export type FakeTwilioScript = (request: FakeTwilioRequest, index: number) => FakeTwilioReply | undefined;

/** A message the fake holds, as its Messages list shows it. */
export type FakeTwilioMessage = Record<string, unknown> & {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  date_sent: string;
  messaging_service_sid: string | null;
};

export interface FakeTwilio {
  baseUrl: string;
  requests: FakeTwilioRequest[];
  /** Every message it created (sent), oldest first: what a lead would have received. */
  messages: FakeTwilioMessage[];
  respondWith(script: FakeTwilioScript | undefined): void;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** API keys accepted besides the account's own credentials. */
  apiKeys?: { sid: string; secret: string }[];
  /** Dates messages are created and sent at (a test's clock); default: the real time. */
  now?: () => Date;
}

/** A reply shaped like Twilio's error answers. */
export function twilioError(status: number, code: number, message: string): FakeTwilioReply {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

function basicAuth(header: string | undefined): FakeTwilioRequest["auth"] {
  const match = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Twilio's rough segment count: enough realism for a fake (GSM-7 vs UCS-2 by a plain ASCII test). */
function segments(body: string): number {
  const [single, multi] = /^[\x20-\x7e\n\r]*$/.test(body) ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / multi);
}

/** RFC 2822, as Twilio dates its resources. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace("GMT", "+0000");
}

function createdMessage(
  accountSid: string,
  params: Record<string, string>,
  at: Date,
): Record<string, unknown> {
  const sid = `SM${hex(16)}`;
  const now = rfc2822(at);
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  const viaService = params.MessagingServiceSid !== undefined;
  return {
    account_sid: accountSid,
    api_version: "2010-04-01",
    body: params.Body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    // With a Messaging Service, Twilio picks the sender later.
    from: params.From ?? null,
    messaging_service_sid: params.MessagingServiceSid ?? null,
    num_media: "0",
    num_segments: viaService ? "0" : String(segments(params.Body ?? "")),
    price: null,
    price_unit: "USD",
    sid,
    status: viaService ? "accepted" : "queued",
    subresource_uris: { media: uri.replace(".json", "/Media.json") },
    to: params.To,
    uri,
  };
}

function messagesPath(options: FakeTwilioOptions): string {
  return `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
}

function authorized(options: FakeTwilioOptions, req: FakeTwilioRequest): boolean {
  const keys = options.apiKeys ?? [];
  const auth = req.auth;
  return (
    auth !== undefined &&
    ((auth.username === options.accountSid && auth.password === options.authToken) ||
      keys.some((k) => k.sid === auth.username && k.secret === auth.password))
  );
}

/** Twilio's validation of a create request; undefined when it would create the message. */
function createRefusal(req: FakeTwilioRequest): FakeTwilioReply | undefined {
  const { To, Body, From, MessagingServiceSid } = req.params;
  if (!To) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!Body) return twilioError(400, 21602, "Message body is required.");
  if (!From === !MessagingServiceSid) {
    return twilioError(400, 21603, "Exactly one of 'From' or 'MessagingServiceSid' is required.");
  }
  return undefined;
}

/**
 * A DateSent filter: a date (YYYY-MM-DD) means that whole UTC day, a date-time that instant;
 * `<` is on or before, `>` on or after, and none the same day (or instant).
 */
function dateSentFilter(name: string, value: string): (sentAt: number) => boolean {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const start = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  const end = dateOnly ? start + 86_400_000 : start + 1;
  if (name === "DateSent<") return (t) => t < end;
  if (name === "DateSent>") return (t) => t >= start;
  return (t) => t >= start && t < end;
}

/** Twilio's Messages list: filters To, From and DateSent, newest first, paged by next_page_uri. */
function listAnswer(
  options: FakeTwilioOptions,
  req: FakeTwilioRequest,
  held: FakeTwilioMessage[],
): FakeTwilioReply {
  const q = req.query;
  const dateFilters = ["DateSent", "DateSent<", "DateSent>"]
    .filter((name) => q[name] !== undefined)
    .map((name) => dateSentFilter(name, q[name] ?? ""));
  const listed = held
    .filter((m) => (q.To === undefined || m.to === q.To) && (q.From === undefined || m.from === q.From))
    .filter((m) => dateFilters.every((f) => f(Date.parse(m.date_sent))))
    .sort((a, b) => Date.parse(b.date_sent) - Date.parse(a.date_sent));
  const pageSize = Math.min(Math.max(Number(q.PageSize ?? 50) || 50, 1), 1000);
  const page = Math.max(Number(q.Page ?? 0) || 0, 0);
  const messages = listed.slice(page * pageSize, (page + 1) * pageSize);
  const filters = new URLSearchParams(
    Object.entries(q).filter(([k]) => !["Page", "PageSize", "PageToken"].includes(k)),
  );
  const uri = (p: number) => {
    const params = new URLSearchParams(filters);
    params.set("PageSize", String(pageSize));
    params.set("Page", String(p));
    if (p > 0) params.set("PageToken", `PA${hex(16)}`);
    return `${messagesPath(options)}?${params}`;
  };
  const more = (page + 1) * pageSize < listed.length;
  return {
    status: 200,
    body: {
      end: page * pageSize + Math.max(messages.length - 1, 0),
      first_page_uri: uri(0),
      messages,
      next_page_uri: more ? uri(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? uri(page - 1) : null,
      start: page * pageSize,
      uri: uri(page),
    },
  };
}

/** What real Twilio would answer, for the checks this fake knows. */
function twilioAnswer(
  options: FakeTwilioOptions,
  req: FakeTwilioRequest,
  held: FakeTwilioMessage[],
  create: () => Record<string, unknown>,
): FakeTwilioReply {
  if (!authorized(options, req)) return twilioError(401, 20003, "Authenticate");
  if (req.path === messagesPath(options) && req.method === "GET") return listAnswer(options, req, held);
  if (req.method !== "POST" || req.path !== messagesPath(options)) {
    return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
  }
  return createRefusal(req) ?? { status: 201, body: create() };
}

function record(req: IncomingMessage, rawBody: string): FakeTwilioRequest {
  const url = new URL(req.url ?? "/", "http://fake-twilio");
  return {
    method: req.method ?? "",
    path: url.pathname,
    headers: req.headers,
    params: Object.fromEntries(new URLSearchParams(rawBody)),
    query: Object.fromEntries(url.searchParams),
    rawBody,
    auth: basicAuth(req.headers.authorization),
    receivedAt: new Date(),
  };
}

/** A real HTTP server on loopback speaking (enough of) Twilio's Messages API. */
export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const requests: FakeTwilioRequest[] = [];
  const held: FakeTwilioMessage[] = [];
  const now = options.now ?? (() => new Date());
  const pending = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let script: FakeTwilioScript | undefined;

  const answer = (res: ServerResponse, reply: FakeTwilioReply) => {
    if ("hang" in reply) return;
    if ("destroySocket" in reply) {
      res.socket?.destroy();
      return;
    }
    const send = () => {
      const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
      const headers = {
        "content-type": "application/json; charset=utf-8",
        "twilio-request-id": `RQ${hex(16)}`,
        ...reply.headers,
      };
      res.writeHead(reply.status, headers).end(body);
    };
    if (!reply.delayMs) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, reply.delayMs);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry = record(req, Buffer.concat(chunks).toString("utf8"));
      const index = requests.push(entry) - 1;
      pending.add(res);
      res.on("close", () => pending.delete(res));
      // A created message is also "sent" at once: listed with its date_sent, as Twilio lists it
      // once it has left for the carrier.
      const create = () => {
        const at = now();
        const created = createdMessage(options.accountSid, entry.params, at);
        held.push({
          ...created,
          sid: String(created.sid),
          to: entry.params.To ?? "",
          from: entry.params.From ?? null,
          body: entry.params.Body ?? "",
          messaging_service_sid: entry.params.MessagingServiceSid ?? null,
          status: "sent",
          date_sent: rfc2822(at),
        });
        return created;
      };
      const scripted = script?.(entry, index);
      const takesIt = authorized(options, entry) && createRefusal(entry) === undefined;
      if (scripted !== undefined && !("status" in scripted) && scripted.created && takesIt) create();
      answer(res, scripted ?? twilioAnswer(options, entry, held, create));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    messages: held,
    respondWith(next) {
      script = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
