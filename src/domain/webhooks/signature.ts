import { createHmac, createSecretKey, type KeyObject } from "node:crypto";

/** Standard Webhooks key: the base64 part of a `whsec_` secret, else the secret's UTF-8 bytes. */
export function signingKey(secret: string): Buffer {
  return secret.startsWith("whsec_")
    ? Buffer.from(secret.slice("whsec_".length), "base64")
    : Buffer.from(secret, "utf8");
}

/**
 * Key objects by secret, for both schemes: decoding the secret for every request was a visible
 * share of a delivery's cost. Bounded; a rotated-away secret simply ages out.
 */
const keys = new Map<string, { legacy: KeyObject; standard: KeyObject }>();

function keysOf(secret: string): { legacy: KeyObject; standard: KeyObject } {
  let found = keys.get(secret);
  if (found === undefined) {
    found = {
      legacy: createSecretKey(Buffer.from(secret, "utf8")),
      standard: createSecretKey(signingKey(secret)),
    };
    if (keys.size >= 1000) keys.clear();
    keys.set(secret, found);
  }
  return found;
}

/** `X-Signature-SHA256`: lowercase hex HMAC-SHA256 of the body, keyed with the secret's UTF-8 bytes. */
export function legacySignature(body: string, secret: string): string {
  return createHmac("sha256", keysOf(secret).legacy).update(body, "utf8").digest("hex");
}

/** One `v1,<base64>` Standard Webhooks signature over `id.timestamp.body`. */
export function standardSignature(eventId: string, timestamp: number, body: string, secret: string): string {
  const mac = createHmac("sha256", keysOf(secret).standard)
    .update(`${eventId}.${timestamp}.${body}`, "utf8")
    .digest("base64");
  return `v1,${mac}`;
}

/**
 * The signature headers of events.md. `secrets` holds the current secret first and, during a
 * rotation, the previous one: both Standard Webhooks signatures are sent, space-separated, so
 * receivers can switch keys at their pace; the legacy header is signed with the current one.
 */
export function signatureHeaders(
  body: string,
  eventId: string,
  timestamp: number,
  secrets: readonly [string, ...string[]],
): Record<string, string> {
  return {
    "x-signature-sha256": legacySignature(body, secrets[0]),
    "webhook-id": eventId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => standardSignature(eventId, timestamp, body, s)).join(" "),
  };
}
