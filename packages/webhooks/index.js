// @ts-check
/**
 * @leadwire/webhooks: checks that a webhook came from Leadwire and was not altered. Plain ESM
 * JavaScript with node:crypto as its only import, so it installs and runs with no build step; the
 * types are in index.d.ts, and the JSDoc below names them, so the repository's tests type-check
 * this file against them (each exported function against its declaration).
 *
 * @typedef {import("./index.js").WebhookHeaders} WebhookHeaders
 * @typedef {import("./index.js").VerifyWebhookOptions} VerifyWebhookOptions
 * @typedef {import("./index.js").VerifyWebhookResult} VerifyWebhookResult
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const DEFAULT_TOLERANCE_SECONDS = 300;
const LEGACY_HEADER = "x-signature-sha256";
const STANDARD_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"];
const WHSEC = "whsec_";

export class WebhookVerificationError extends Error {
  /** @param {string} reason */
  constructor(reason) {
    super(`webhook verification failed: ${reason}`);
    /** @type {"WebhookVerificationError"} */
    this.name = "WebhookVerificationError";
    /** @readonly */
    this.reason = reason;
  }
}

/**
 * @param {string} reason
 * @returns {VerifyWebhookResult}
 */
const fail = (reason) => ({ ok: false, reason });

/**
 * Checks a delivery over the raw body bytes (parse the JSON only after this says ok). Prefers the
 * Standard Webhooks headers, whose signed timestamp stops replays, and falls back to
 * `X-Signature-SHA256`. Never throws: malformed input of any kind is `{ ok: false, reason }`.
 *
 * @type {typeof import("./index.js").verifyWebhook}
 */
export function verifyWebhook(rawBody, headers, secret, options = {}) {
  const body = bodyBytes(rawBody);
  if (body === undefined)
    return fail("rawBody must be the raw request body (a string or bytes), not parsed JSON");
  if (typeof headers !== "object" || headers === null) return fail("headers are missing");
  if (typeof secret !== "string" || secret === "") return fail("secret is empty");
  const opts = typeof options === "object" && options !== null ? options : {};

  if (STANDARD_HEADERS.some((name) => headerValues(headers, name).length > 0)) {
    return verifyStandard(body, headers, secret, opts);
  }
  if (headerValues(headers, LEGACY_HEADER).length > 0) {
    if (opts.allowLegacy === false) return fail("only Standard Webhooks signatures are accepted");
    return verifyLegacy(body, headers, secret);
  }
  return fail("no signature headers (webhook-signature or X-Signature-SHA256)");
}

/**
 * As verifyWebhook, for code that prefers exceptions; throws WebhookVerificationError.
 *
 * @type {typeof import("./index.js").verifyWebhookOrThrow}
 */
export function verifyWebhookOrThrow(rawBody, headers, secret, options) {
  const result = verifyWebhook(rawBody, headers, secret, options);
  if (!result.ok) throw new WebhookVerificationError(result.reason);
  return result.eventId === undefined
    ? { scheme: result.scheme }
    : { scheme: result.scheme, eventId: result.eventId };
}

/**
 * The Standard Webhooks key, exactly as the Leadwire server derives it: the base64 part of a
 * `whsec_` secret (decoded as Node's Buffer does, leniently), else the secret's UTF-8 bytes.
 *
 * @param {string} secret
 * @returns {Buffer}
 */
function signingKey(secret) {
  return secret.startsWith(WHSEC)
    ? Buffer.from(secret.slice(WHSEC.length), "base64")
    : Buffer.from(secret, "utf8");
}

/**
 * @param {Buffer} body
 * @param {WebhookHeaders} headers
 * @param {string} secret
 * @param {VerifyWebhookOptions} options
 * @returns {VerifyWebhookResult}
 */
function verifyStandard(body, headers, secret, options) {
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
  // Every listed signature is tried (a rotation sends old and new); unknown versions are skipped.
  const matched = signatures
    .split(" ")
    .filter((token) => token.startsWith("v1,"))
    .some((token) => constantTimeEqual(Buffer.from(token.slice(3), "utf8"), expected));
  return matched
    ? { ok: true, scheme: "standard", eventId }
    : fail("no webhook-signature matches this body and secret");
}

/**
 * @param {Buffer} body
 * @param {WebhookHeaders} headers
 * @param {string} secret
 * @returns {VerifyWebhookResult}
 */
function verifyLegacy(body, headers, secret) {
  const given = singleHeader(headers, LEGACY_HEADER)?.trim().toLowerCase();
  // Buffer.from(hex) silently stops at the first bad digit, so the shape is checked first.
  if (given === undefined || !/^[0-9a-f]{64}$/.test(given))
    return fail("malformed X-Signature-SHA256 header");
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest();
  return constantTimeEqual(Buffer.from(given, "hex"), expected)
    ? { ok: true, scheme: "legacy" }
    : fail("X-Signature-SHA256 does not match this body and secret");
}

/**
 * @param {string} header
 * @param {VerifyWebhookOptions} options
 * @returns {string | undefined}
 */
function timestampProblem(header, options) {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = /** @type {{ getTime?: unknown } | undefined} */ (options.now) ?? new Date();
  const nowMs = typeof now.getTime === "function" ? Number(now.getTime()) : Number.NaN;
  // A NaN here would make every comparison false and accept any timestamp: fail closed instead.
  if (!(tolerance >= 0) || !Number.isFinite(nowMs)) return "invalid toleranceSeconds or now option";
  if (!/^\d{1,15}$/.test(header)) return "malformed webhook-timestamp header";
  const skew = Math.floor(nowMs / 1000) - Number(header);
  if (skew > tolerance) return "webhook-timestamp is too old (possible replay)";
  if (-skew > tolerance) return "webhook-timestamp is too far in the future";
  return undefined;
}

/**
 * timingSafeEqual throws on unequal lengths; a length mismatch leaks only the public MAC size.
 *
 * @param {Buffer} a
 * @param {Buffer} b
 */
function constantTimeEqual(a, b) {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * @param {unknown} rawBody
 * @returns {Buffer | undefined}
 */
function bodyBytes(rawBody) {
  if (typeof rawBody === "string") return Buffer.from(rawBody, "utf8");
  if (rawBody instanceof Uint8Array)
    return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  return undefined;
}

/**
 * Every value of a header, whatever the case of its name and however the framework shaped it.
 *
 * @param {WebhookHeaders} headers
 * @param {string} name
 * @returns {string[]}
 */
function headerValues(headers, name) {
  if (hasGet(headers)) {
    const value = headers.get(name);
    return typeof value === "string" ? [value] : [];
  }
  /** @type {string[]} */
  const values = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") values.push(value);
    else if (Array.isArray(value)) values.push(...value.filter((v) => typeof v === "string"));
  }
  return values;
}

/**
 * A header that must appear once; a repeated one is ambiguous, so it counts as absent.
 *
 * @param {WebhookHeaders} headers
 * @param {string} name
 * @returns {string | undefined}
 */
function singleHeader(headers, name) {
  const values = headerValues(headers, name);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * A fetch `Headers` (or anything with the same `get`), rather than a plain object of headers.
 *
 * @param {WebhookHeaders} headers
 * @returns {headers is import("./index.js").HeadersLike}
 */
function hasGet(headers) {
  return typeof (/** @type {{ get?: unknown }} */ (headers).get) === "function";
}
