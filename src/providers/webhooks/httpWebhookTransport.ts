import { performance } from "node:perf_hooks";
import { errors } from "undici";
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
  const headers = { "content-type": "application/json", "user-agent": options.userAgent };
  return {
    post(req: WebhookRequest): Promise<WebhookResponse> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const { url, forbidden } = target(req.url);
      const requestHeaders = { ...req.headers, ...headers };
      if (forbidden) {
        return Promise.resolve({
          statusCode: null,
          body: null,
          error: `refused: ${url.hostname} is not a public address`,
          timedOut: false,
          retryAfter: undefined,
          durationMs: 0,
          requestHeaders,
        });
      }
      // undici's low-level dispatch: the response is collected straight from the parser, with no
      // stream or body mixin per request (those cost more than the rest of a loopback request).
      // The agent's headers and body timeouts bound the wait.
      return new Promise((resolve) => {
        let statusCode = 0;
        let retryAfter: string | undefined;
        const kept: Buffer[] = [];
        let size = 0;
        let cutShort = false;
        const answer = () => {
          const head = Buffer.concat(kept).subarray(0, KEPT_BODY_BYTES).toString("utf8");
          resolve({
            statusCode,
            body: head,
            error: null,
            timedOut: false,
            retryAfter,
            durationMs: elapsed(),
            requestHeaders,
          });
        };
        agent.dispatch(
          {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: "POST",
            headers: requestHeaders,
            body: req.body,
          },
          {
            // Its presence selects undici's current handler interface.
            onRequestStart() {},
            onResponseStart(_controller, status, responseHeaders) {
              // 1xx answers come first; the last call carries the final status.
              statusCode = status;
              const value = responseHeaders["retry-after"];
              retryAfter = Array.isArray(value) ? value[0] : value;
            },
            onResponseData(controller, chunk) {
              if (size < KEPT_BODY_BYTES) kept.push(chunk);
              size += chunk.length;
              // A receiver's huge answer must not cost us memory or time: keep the head, stop reading.
              if (size > MAX_READ_BYTES && !cutShort) {
                cutShort = true;
                controller.abort(new Error("response body too large; the first 4 KiB are kept"));
              }
            },
            onResponseEnd() {
              answer();
            },
            onResponseError(_controller, error) {
              if (cutShort) {
                answer();
                return;
              }
              const { message, timedOut } = describeError(error);
              resolve({
                statusCode: null,
                body: null,
                error: message,
                timedOut,
                retryAfter: undefined,
                durationMs: elapsed(),
                requestHeaders,
              });
            },
          },
        );
      });
    },
    close: () => agent.close(),
  };
}
