import { Agent, type Dispatcher, request } from "undici";
import type { SendOutcome, SmsMessage, SmsProvider } from "../../domain/messages/providers.js";
import { parseRetryAfter } from "../../retryAfter.js";
import { listSentMessages } from "./twilioLookup.js";

export interface TwilioSmsOptions {
  accountSid: string;
  authToken?: string | undefined;
  /** An API key pair, when given, is used instead of the auth token (revocable, scoped). */
  apiKeySid?: string | undefined;
  apiKeySecret?: string | undefined;
  /** Default sender; a message's own `from`/`messagingServiceSid` overrides it. */
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** Configurable so tests run this adapter against a local server speaking the same API. */
  baseUrl?: string | undefined;
  timeoutMs: number;
  /** Owned by the caller; without one the provider makes (and closes) its own. */
  dispatcher?: Dispatcher | undefined;
  now?: () => Date;
}

export interface TwilioSmsProvider extends SmsProvider {
  lookup: NonNullable<SmsProvider["lookup"]>;
  close(): Promise<void>;
}

const DEFAULT_BASE_URL = "https://api.twilio.com";
/** Twilio's answers are a few hundred bytes; anything bigger is not Twilio and not worth reading. */
const MAX_READ_BYTES = 64 * 1024;
/** A page of the Messages list holds up to 100 resources of a couple of KiB each. */
const MAX_LIST_BYTES = 4 * 1024 * 1024;
/** Twilio's "Attempt to send to unsubscribed recipient": the carrier holds a STOP for this pair. */
const UNSUBSCRIBED_RECIPIENT = 21610;
const TOO_MANY_REQUESTS = 20429;

/**
 * Errors that can only happen before a byte of our request left: nothing reached Twilio.
 * Anything not listed here may have happened after the request was written.
 */
const NOT_SENT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  // TLS handshake and certificate failures: the HTTP request is only written after the handshake.
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "HOSTNAME_MISMATCH",
]);
const NOT_SENT_SYSCALLS = new Set(["connect", "getaddrinfo"]);

function basicAuth(options: TwilioSmsOptions): { header: string; secrets: string[] } {
  const { apiKeySid, apiKeySecret, authToken, accountSid } = options;
  if (apiKeySid !== undefined || apiKeySecret !== undefined) {
    if (!apiKeySid || !apiKeySecret) throw new Error("Twilio: apiKeySid and apiKeySecret go together");
    return { header: encodeBasic(apiKeySid, apiKeySecret), secrets: [apiKeySecret] };
  }
  if (!authToken) throw new Error("Twilio: set authToken, or apiKeySid and apiKeySecret");
  return { header: encodeBasic(accountSid, authToken), secrets: [authToken] };
}

function encodeBasic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/**
 * A sender on the message (the org's override) beats the configured default; at the same level a
 * Messaging Service is preferred, since Twilio then picks the number and handles opt-outs itself.
 */
function senderParams(
  message: Pick<SmsMessage, "from" | "messagingServiceSid">,
  options: TwilioSmsOptions,
): [string, string] | undefined {
  if (message.messagingServiceSid) return ["MessagingServiceSid", message.messagingServiceSid];
  if (message.from) return ["From", message.from];
  if (options.messagingServiceSid) return ["MessagingServiceSid", options.messagingServiceSid];
  if (options.from) return ["From", options.from];
  return undefined;
}

function formBody(message: SmsMessage, sender: [string, string]): string {
  const form = new URLSearchParams({ To: message.to, Body: message.body });
  form.set(...sender);
  if (message.statusCallbackUrl !== "") form.set("StatusCallback", message.statusCallbackUrl);
  return form.toString();
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes = MAX_READ_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringField(json: Record<string, unknown>, name: string): string | undefined {
  const value = json[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Twilio sends its error code as a number; a proxy's JSON may not, so accept numeric strings. */
function twilioCode(json: Record<string, unknown>): number | undefined {
  const value = json.code;
  const code = typeof value === "string" ? Number(value) : value;
  return typeof code === "number" && Number.isInteger(code) ? code : undefined;
}

interface Answer {
  statusCode: number;
  retryAfter: string | undefined;
  text: string;
  /** Set when the body could not be read; the status line still counts. */
  readError: string | undefined;
}

function classifyClientError(answer: Answer, json: Record<string, unknown>, now: Date): SendOutcome {
  const code = twilioCode(json);
  const message = `Twilio ${answer.statusCode}: ${stringField(json, "message") ?? "no error message"}`;
  const codeText = String(code ?? answer.statusCode);
  if (code === UNSUBSCRIBED_RECIPIENT) return { kind: "rejected", code: codeText, message, optedOut: true };
  // 408: the server gave up waiting for our request, so it never processed it.
  if (answer.statusCode === 429 || answer.statusCode === 408 || code === TOO_MANY_REQUESTS) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, now);
    return {
      kind: "retryable",
      code: codeText,
      message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { kind: "rejected", code: codeText, message, optedOut: false };
}

/**
 * Where "retryable or final" is decided for an HTTP answer. Only what surely created no message
 * may be retried: Twilio answers 500 and 503 before creating one, while a 502/504 can come from a
 * gateway that gave up on a request Twilio went on to accept.
 */
function classifyAnswer(answer: Answer, now: Date): SendOutcome {
  const json = parseJsonObject(answer.text);
  const { statusCode } = answer;
  if (statusCode >= 200 && statusCode < 300) {
    const sid = stringField(json, "sid");
    if (sid !== undefined) {
      const status = stringField(json, "status");
      return { kind: "accepted", providerMessageId: sid, ...(status === undefined ? {} : { status }) };
    }
    const why = answer.readError === undefined ? "without a message sid" : `but ${answer.readError}`;
    return { kind: "unknown", message: `Twilio answered ${statusCode} ${why}` };
  }
  if (statusCode >= 400 && statusCode < 500) return classifyClientError(answer, json, now);
  if (statusCode === 500 || statusCode === 503) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, now);
    return {
      kind: "retryable",
      code: String(twilioCode(json) ?? statusCode),
      message: `Twilio ${statusCode}: ${stringField(json, "message") ?? "server error"}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { kind: "unknown", message: `Twilio answered ${statusCode}; the message may have been created` };
}

function errorDetails(error: unknown): {
  code: string | undefined;
  syscall: string | undefined;
  text: string;
} {
  if (!(error instanceof Error)) return { code: undefined, syscall: undefined, text: String(error) };
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return {
    code: typeof code === "string" ? code : undefined,
    syscall: typeof syscall === "string" ? syscall : undefined,
    // OpenSSL messages end in a newline.
    text: `${error.message}${cause}`.trim(),
  };
}

function surelyNotSent(error: unknown): boolean {
  // Happy Eyeballs reports every failed address at once: unsent only if each attempt failed to connect.
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every(surelyNotSent);
  const { code, syscall } = errorDetails(error);
  return (
    (code !== undefined && NOT_SENT_CODES.has(code)) ||
    (syscall !== undefined && NOT_SENT_SYSCALLS.has(syscall))
  );
}

/**
 * Where "retryable or final" is decided for a failed exchange. Failing to connect means Twilio has
 * nothing; a timeout, reset or abort once the request may have been written means we cannot know.
 */
function classifyError(error: unknown): SendOutcome {
  const { code, text } = errorDetails(error);
  if (surelyNotSent(error)) return { kind: "retryable", code: code ?? "connect_failed", message: text };
  return { kind: "unknown", message: `${code === undefined ? "" : `${code} `}${text}` };
}

function scrubber(secrets: string[]): (text: string) => string {
  return (text) => secrets.reduce((t, secret) => t.split(secret).join("[redacted]"), text);
}

/** Belt and braces: no outcome (stored, logged, shown) may carry a credential. */
function redactor(secrets: string[]): (outcome: SendOutcome) => SendOutcome {
  const scrub = scrubber(secrets);
  return (outcome) =>
    outcome.kind === "accepted" ? outcome : { ...outcome, message: scrub(outcome.message) };
}

/** SMS through Twilio's Messages REST API, classifying every answer into a SendOutcome. */
export function createTwilioSmsProvider(options: TwilioSmsOptions): TwilioSmsProvider {
  const auth = basicAuth(options);
  const redact = redactor(auth.secrets);
  const now = options.now ?? (() => new Date());
  const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = new URL(`${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`);
  const ownAgent =
    options.dispatcher === undefined
      ? new Agent({
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
          connect: { timeout: Math.min(options.timeoutMs, 10_000) },
        })
      : undefined;
  const dispatcher = options.dispatcher ?? ownAgent;

  async function post(body: string): Promise<Answer> {
    const res = await request(url, {
      method: "POST",
      dispatcher,
      // Per request too, so a caller's dispatcher gets the same bounds.
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      headers: {
        authorization: auth.header,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        "user-agent": "leadwire",
      },
      body,
    });
    const retryAfter = res.headers["retry-after"];
    const answer = {
      statusCode: res.statusCode,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    };
    try {
      return { ...answer, text: await readCapped(res.body), readError: undefined };
    } catch (error) {
      return { ...answer, text: "", readError: `its body failed: ${errorDetails(error).text}` };
    }
  }

  async function get(target: URL): Promise<{ statusCode: number; text: string }> {
    const res = await request(target, {
      method: "GET",
      dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      headers: { authorization: auth.header, accept: "application/json", "user-agent": "leadwire" },
    });
    return { statusCode: res.statusCode, text: await readCapped(res.body, MAX_LIST_BYTES) };
  }

  return {
    name: "twilio",
    lookup: (query) =>
      listSentMessages(
        { listUrl: url, get, senderOf: (q) => senderParams(q, options), scrub: scrubber(auth.secrets) },
        query,
      ),
    async send(message: SmsMessage): Promise<SendOutcome> {
      const sender = senderParams(message, options);
      if (sender === undefined) {
        return {
          kind: "rejected",
          code: "missing_sender",
          message: "no From number or Messaging Service configured for Twilio",
          optedOut: false,
        };
      }
      try {
        return redact(classifyAnswer(await post(formBody(message, sender)), now()));
      } catch (error) {
        return redact(classifyError(error));
      }
    },
    close: async () => {
      await ownAgent?.close();
    },
  };
}
