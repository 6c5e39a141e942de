/**
 * Types of @leadwire/webhooks (index.js). They need no DOM or @types/node types: a Node
 * `Buffer` is a `Uint8Array`, and fetch's `Headers` fits `HeadersLike`.
 */

/** Anything with a fetch-style `get` (fetch, undici and Web `Headers`). */
export interface HeadersLike {
  get(name: string): string | null;
}

/** The request headers as Node (`req.headers`), Express, Fastify or a fetch `Request` give them. */
export type WebhookHeaders = Record<string, string | string[] | undefined> | HeadersLike;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 (Standard Webhooks' value). */
  toleranceSeconds?: number;
  /** The clock to check the timestamp against; defaults to the current time. */
  now?: Date;
  /**
   * Whether a delivery carrying only `X-Signature-SHA256` is accepted. Default true. That scheme
   * signs no timestamp, so a captured delivery stripped of its `webhook-*` headers replays
   * forever; set false once every sender you trust sends Standard Webhooks headers (Leadwire does).
   */
  allowLegacy?: boolean;
}

export type VerifyWebhookResult =
  | { ok: true; scheme: "standard" | "legacy"; eventId?: string }
  | { ok: false; reason: string };

/**
 * Checks that a webhook came from Leadwire and was not altered, over the raw body bytes (parse the
 * JSON only after this says ok). Prefers the Standard Webhooks headers (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`), whose signed timestamp stops replays, and falls back
 * to `X-Signature-SHA256` when none of them is present. Any one of several space-separated
 * `webhook-signature` entries may match (during a secret rotation there are two). Never throws:
 * malformed input of any kind is `{ ok: false, reason }`.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options?: VerifyWebhookOptions,
): VerifyWebhookResult;

/** As verifyWebhook, for code that prefers exceptions; throws WebhookVerificationError. */
export function verifyWebhookOrThrow(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options?: VerifyWebhookOptions,
): { scheme: "standard" | "legacy"; eventId?: string };

export class WebhookVerificationError extends Error {
  readonly name: "WebhookVerificationError";
  /** Why the delivery was refused, the same text as verifyWebhook's `reason`. */
  readonly reason: string;
  constructor(reason: string);
}
