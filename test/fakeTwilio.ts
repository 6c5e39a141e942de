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
  rawBody: string;
  /** The basic-auth credentials, when the Authorization header carried any. */
  auth: { username: string; password: string } | undefined;
  receivedAt: Date;
}

/**
 * What to do with a request: answer (optionally late), never answer, or drop the connection once
 * the body is read (the "did it arrive?" case).
 */
export type FakeTwilioReply =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { hang: true }
  | { destroySocket: true };

/** Scripts a reply; returning undefined lets the fake behave like Twilio. */
export type FakeTwilioScript = (request: FakeTwilioRequest, index: number) => FakeTwilioReply | undefined;

export interface FakeTwilio {
  baseUrl: string;
  requests: FakeTwilioRequest[];
  respondWith(script: FakeTwilioScript | undefined): void;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** API keys accepted besides the account's own credentials. */
  apiKeys?: { sid: string; secret: string }[];
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

function createdMessage(accountSid: string, params: Record<string, string>): Record<string, unknown> {
  const sid = `SM${hex(16)}`;
  const now = new Date().toUTCString().replace("GMT", "+0000");
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

/** What real Twilio would answer, for the checks this fake knows. */
function twilioAnswer(options: FakeTwilioOptions, req: FakeTwilioRequest): FakeTwilioReply {
  const path = `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
  const keys = options.apiKeys ?? [];
  const auth = req.auth;
  const authorized =
    auth !== undefined &&
    ((auth.username === options.accountSid && auth.password === options.authToken) ||
      keys.some((k) => k.sid === auth.username && k.secret === auth.password));
  if (!authorized) return twilioError(401, 20003, "Authenticate");
  if (req.method !== "POST" || req.path !== path) {
    return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
  }
  const { To, Body, From, MessagingServiceSid } = req.params;
  if (!To) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!Body) return twilioError(400, 21602, "Message body is required.");
  if (!From === !MessagingServiceSid) {
    return twilioError(400, 21603, "Exactly one of 'From' or 'MessagingServiceSid' is required.");
  }
  return { status: 201, body: createdMessage(options.accountSid, req.params) };
}

function record(req: IncomingMessage, rawBody: string): FakeTwilioRequest {
  const url = new URL(req.url ?? "/", "http://fake-twilio");
  return {
    method: req.method ?? "",
    path: url.pathname,
    headers: req.headers,
    params: Object.fromEntries(new URLSearchParams(rawBody)),
    rawBody,
    auth: basicAuth(req.headers.authorization),
    receivedAt: new Date(),
  };
}

/** A real HTTP server on loopback speaking (enough of) Twilio's Messages API. */
export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const requests: FakeTwilioRequest[] = [];
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
      answer(res, script?.(entry, index) ?? twilioAnswer(options, entry));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
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
