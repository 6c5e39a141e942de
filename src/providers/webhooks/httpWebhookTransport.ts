import { performance } from "node:perf_hooks";
import { errors, request } from "undici";
import type { WebhookRequest, WebhookResponse, WebhookTransport } from "../../domain/webhooks/transport.js";
import { createWebhookAgent, forbiddenLiteralHost } from "../http/webhookAgent.js";

const KEPT_BODY_BYTES = 4096;
/** Past this we stop reading: a receiver's huge answer must not cost us memory or time. */
const MAX_READ_BYTES = 64 * 1024;

export interface HttpWebhookTransportOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
  userAgent: string;
  connectionsPerOrigin: number;
}

async function readHead(
  body: AsyncIterable<Buffer> & { destroy(): void; text(): Promise<string> },
  contentLength: string | string[] | undefined,
): Promise<string> {
  // The common case, a small answer of known size, is read in one go (much cheaper per request).
  if (typeof contentLength === "string" && Number(contentLength) <= MAX_READ_BYTES) {
    const text = await body.text();
    return Buffer.byteLength(text) <= KEPT_BODY_BYTES
      ? text
      : Buffer.from(text).subarray(0, KEPT_BODY_BYTES).toString("utf8");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < KEPT_BODY_BYTES) chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_READ_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString("utf8");
}

function describeError(error: unknown): { message: string; timedOut: boolean } {
  const timedOut =
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
  if (!(error instanceof Error)) return { message: String(error), timedOut };
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const code = (error as { code?: unknown }).code;
  return { message: `${typeof code === "string" ? `${code} ` : ""}${error.message}${cause}`, timedOut };
}

/** Webhooks over HTTP with undici: keep-alive pools per origin, timeouts, no redirects followed. */
export function createHttpWebhookTransport(options: HttpWebhookTransportOptions): WebhookTransport {
  const agent = createWebhookAgent({
    allowPrivateTargets: options.allowPrivateTargets,
    timeoutMs: options.timeoutMs,
    connectionsPerOrigin: options.connectionsPerOrigin,
  });
  // Endpoints are few and their URLs fixed: parse and vet each once, not once per request.
  const targets = new Map<string, { url: URL; forbidden: boolean }>();
  const target = (raw: string) => {
    let found = targets.get(raw);
    if (found === undefined) {
      const url = new URL(raw);
      found = { url, forbidden: !options.allowPrivateTargets && forbiddenLiteralHost(url) };
      if (targets.size >= 1000) targets.clear();
      targets.set(raw, found);
    }
    return found;
  };
  return {
    async post(req: WebhookRequest): Promise<WebhookResponse> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const { url, forbidden } = target(req.url);
      if (forbidden) {
        return {
          statusCode: null,
          body: null,
          error: `refused: ${url.hostname} is not a public address`,
          timedOut: false,
          retryAfter: undefined,
          durationMs: 0,
        };
      }
      try {
        const res = await request(url, {
          method: "POST",
          dispatcher: agent,
          headers: { ...req.headers, "content-type": "application/json", "user-agent": options.userAgent },
          body: req.body,
          // The agent's headers and body timeouts bound the wait (a per-request AbortSignal
          // costs more than the rest of the request on loopback).
        });
        const body = await readHead(res.body, res.headers["content-length"]);
        const retryAfter = res.headers["retry-after"];
        return {
          statusCode: res.statusCode,
          body,
          error: null,
          timedOut: false,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          durationMs: elapsed(),
        };
      } catch (error) {
        const { message, timedOut } = describeError(error);
        return {
          statusCode: null,
          body: null,
          error: message,
          timedOut,
          retryAfter: undefined,
          durationMs: elapsed(),
        };
      }
    },
    close: () => agent.close(),
  };
}
