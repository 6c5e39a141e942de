import { createHmac, timingSafeEqual } from "node:crypto";
import { signingKey } from "../domain/webhooks/signature.js";

export type WebhookHeaders = Record<string, string | string[] | undefined> | Headers;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 (Standard Webhooks' value). */
  toleranceSeconds?: number;
  /** The clock to check the timestamp against; defaults to the current time. */
  now?: Date;
  /**
   * Whether a delivery carrying only `X-Signature-SHA256` is accepted. Default true. That scheme
   * signs no timestamp, so a captured delivery stripped of its `webhook-*` headers replays
   * forever; set false once every sender you trust sends Standard Webhooks headers (ours do).
   */
  allowLegacy?: boolean;
}

export type VerifyWebhookResult =
  | { ok: true; scheme: "standard" | "legacy"; eventId?: string }
  | { ok: false; reason: string };

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  constructor(readonly reason: string) {
    super(`webhook verification failed: ${reason}`);
  }
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const LEGACY_HEADER = "x-signature-sha256";
const STANDARD_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

const fail = (reason: string): VerifyWebhookResult => ({ ok: false, reason });

/**
 * Checks that a webhook came from Leadwire and was not altered, the way a receiver should:
 * over the raw body bytes (parse JSON only after this says ok). Prefers the Standard Webhooks
 * headers, whose signed timestamp stops replays, and falls back to `X-Signature-SHA256`.
 * Never throws: malformed input of any kind is `{ ok: false, reason }`.
 */
export function verifyWebhook(
  rawBody: string | Buffer | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): VerifyWebhookResult {
  const body = bodyBytes(rawBody);
  if (body === undefined)
    return fail("rawBody must be the raw request body (a string or bytes), not parsed JSON");
  if (typeof headers !== "object" || headers === null) return fail("headers are missing");
  if (typeof secret !== "string" || secret === "") return fail("secret is empty");

  if (STANDARD_HEADERS.some((name) => headerValues(headers, name).length > 0)) {
    return verifyStandard(body, headers, secret, options);
  }
  if (headerValues(headers, LEGACY_HEADER).length > 0) {
    if (options.allowLegacy === false) return fail("only Standard Webhooks signatures are accepted");
    return verifyLegacy(body, headers, secret);
  }
  return fail("no signature headers (webhook-signature or X-Signature-SHA256)");
}

/** As verifyWebhook, for code that prefers exceptions; throws WebhookVerificationError. */
export function verifyWebhookOrThrow(
  rawBody: string | Buffer | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options?: VerifyWebhookOptions,
): { scheme: "standard" | "legacy"; eventId?: string } {
  const result = verifyWebhook(rawBody, headers, secret, options);
  if (!result.ok) throw new WebhookVerificationError(result.reason);
  return result.eventId === undefined
    ? { scheme: result.scheme }
    : { scheme: result.scheme, eventId: result.eventId };
}

function verifyStandard(
  body: Buffer,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions,
): VerifyWebhookResult {
  const eventId = singleHeader(headers, "webhook-id");
  const timestamp = singleHeader(headers, "webhook-timestamp");
  const signatures = headerValues(headers, "webhook-signature").join(" ");
  if (eventId === undefined || eventId === "") return fail("missing or repeated webhook-id header");
  if (timestamp === undefined) return fail("missing or repeated webhook-timestamp header");
  if (signatures.trim() === "") return fail("missing webhook-signature header");

  const stale = timestampProblem(timestamp, options);
  if (stale !== undefined) return fail(stale);

  const key = signingKey(secret);
  if (key.length === 0) return fail("secret has an empty key");
  const mac = createHmac("sha256", key)
    .update(`${eventId}.${timestamp}.`, "utf8")
    .update(body)
    .digest("base64");
  const expected = Buffer.from(mac, "utf8");
  // Every listed signature is tried (rotation sends old and new); unknown versions are skipped.
  const matched = signatures
    .split(" ")
    .filter((token) => token.startsWith("v1,"))
    .some((token) => constantTimeEqual(Buffer.from(token.slice(3), "utf8"), expected));
  return matched
    ? { ok: true, scheme: "standard", eventId }
    : fail("no webhook-signature matches this body and secret");
}

function verifyLegacy(body: Buffer, headers: WebhookHeaders, secret: string): VerifyWebhookResult {
  const given = singleHeader(headers, LEGACY_HEADER)?.trim().toLowerCase();
  // Buffer.from(hex) silently stops at the first bad digit, so the shape is checked first.
  if (given === undefined || !/^[0-9a-f]{64}$/.test(given))
    return fail("malformed X-Signature-SHA256 header");
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest();
  return constantTimeEqual(Buffer.from(given, "hex"), expected)
    ? { ok: true, scheme: "legacy" }
    : fail("X-Signature-SHA256 does not match this body and secret");
}

function timestampProblem(header: string, options: VerifyWebhookOptions): string | undefined {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowMs = (options.now ?? new Date()).getTime();
  // A NaN here would make every comparison false and accept any timestamp: fail closed instead.
  if (!(tolerance >= 0) || !Number.isFinite(nowMs)) return "invalid toleranceSeconds or now option";
  if (!/^\d{1,15}$/.test(header)) return "malformed webhook-timestamp header";
  const skew = Math.floor(nowMs / 1000) - Number(header);
  if (skew > tolerance) return "webhook-timestamp is too old (possible replay)";
  if (-skew > tolerance) return "webhook-timestamp is too far in the future";
  return undefined;
}

/** timingSafeEqual throws on unequal lengths; a length mismatch leaks only the public MAC size. */
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function bodyBytes(rawBody: unknown): Buffer | undefined {
  if (typeof rawBody === "string") return Buffer.from(rawBody, "utf8");
  if (rawBody instanceof Uint8Array)
    return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  return undefined;
}

/** Every value of a header, whatever the case of its name and however the framework shaped it. */
function headerValues(headers: WebhookHeaders, name: string): string[] {
  if (isFetchHeaders(headers)) {
    const value = headers.get(name);
    return value === null ? [] : [value];
  }
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") values.push(value);
    else if (Array.isArray(value)) values.push(...value.filter((v): v is string => typeof v === "string"));
  }
  return values;
}

/** A header that must appear once; a repeated one is ambiguous, so it counts as absent. */
function singleHeader(headers: WebhookHeaders, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 1 ? values[0] : undefined;
}

function isFetchHeaders(headers: WebhookHeaders): headers is Headers {
  return typeof (headers as { get?: unknown }).get === "function";
}
