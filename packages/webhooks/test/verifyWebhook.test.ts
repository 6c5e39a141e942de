import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type VerifyWebhookResult,
  verifyWebhook,
  verifyWebhookOrThrow,
  type WebhookHeaders,
  WebhookVerificationError,
} from "../index.js";
import {
  BODY,
  EVENT_ID,
  legacyOnly,
  nowSeconds,
  OLD_SECRET,
  PLAIN_SECRET,
  SECRET,
  type SignedHeaders,
  UNICODE_BODY,
} from "./fixtures.js";

// The package's own tests: deliveries are signed here, by the Standard Webhooks rules written out
// once, with nothing from the server. src/webhooks/serverSignatures.test.ts checks the package
// against the server's own signer.

/** What Leadwire sends: the legacy header keyed with the first secret, a v1 signature per secret. */
function signed(body: string, secrets: string[] = [SECRET], timestamp = nowSeconds()): SignedHeaders {
  const key = (s: string) =>
    s.startsWith("whsec_") ? Buffer.from(s.slice(6), "base64") : Buffer.from(s, "utf8");
  const v1 = (s: string) =>
    createHmac("sha256", key(s)).update(`${EVENT_ID}.${timestamp}.${body}`, "utf8").digest("base64");
  return {
    "x-signature-sha256": createHmac("sha256", secrets[0] ?? "")
      .update(body, "utf8")
      .digest("hex"),
    "webhook-id": EVENT_ID,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => `v1,${v1(s)}`).join(" "),
  };
}

function reasonOf(result: VerifyWebhookResult): string {
  return result.ok ? "ok" : result.reason;
}

describe("verifyWebhook: Standard Webhooks headers", () => {
  it("accepts a signed delivery and returns the event id", () => {
    expect(verifyWebhook(BODY, signed(BODY), SECRET)).toEqual({
      ok: true,
      scheme: "standard",
      eventId: EVENT_ID,
    });
  });

  it("accepts a Buffer, a Uint8Array view and a fetch Headers object with any header case", () => {
    const headers = signed(BODY);
    const padded = new TextEncoder().encode(`xx${BODY}yy`).subarray(2, -2);
    const fetchHeaders = new Headers(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    const mixedCase = {
      "Webhook-Id": headers["webhook-id"],
      "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"],
      "Webhook-Signature": [headers["webhook-signature"]],
    };
    const headersLike = { get: (name: string) => fetchHeaders.get(name) };
    expect(verifyWebhook(Buffer.from(BODY), headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(padded, headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, fetchHeaders, SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, mixedCase, SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, headersLike, SECRET).ok).toBe(true);
  });

  it("uses the secret's UTF-8 bytes as the key when it has no whsec_ prefix", () => {
    expect(verifyWebhook(BODY, signed(BODY, [PLAIN_SECRET]), PLAIN_SECRET)).toMatchObject({
      ok: true,
      scheme: "standard",
    });
  });

  it("keeps emoji, accents and CJK byte-exact", () => {
    const body = UNICODE_BODY;
    const headers = signed(body);
    expect(verifyWebhook(body, headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(Buffer.from(body, "utf8"), headers, SECRET).ok).toBe(true);
    // One normalization change (NFD Ç) is a different body.
    expect(verifyWebhook(body.replace("Ç", "C\u0327"), headers, SECRET).ok).toBe(false);
  });

  it("during a rotation accepts either of the two signatures, with either secret alone", () => {
    const headers = signed(BODY, [SECRET, OLD_SECRET]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook(BODY, headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, headers, OLD_SECRET).ok).toBe(true);
    expect(reasonOf(verifyWebhook(BODY, headers, PLAIN_SECRET))).toMatch(/no webhook-signature matches/);
  });

  it("refuses a tampered body, a wrong secret, and another event id", () => {
    const headers = signed(BODY);
    expect(reasonOf(verifyWebhook(BODY.replace("Hi!", "Hi?"), headers, SECRET))).toMatch(
      /no webhook-signature/,
    );
    expect(reasonOf(verifyWebhook(BODY, headers, OLD_SECRET))).toMatch(/no webhook-signature/);
    expect(verifyWebhook(BODY, { ...headers, "webhook-id": "another" }, SECRET).ok).toBe(false);
  });

  it("refuses stale and future timestamps (replay protection), within a configurable tolerance", () => {
    const now = new Date("2024-01-15T14:30:00Z");
    const t = now.getTime() / 1000;
    const at = (offset: number) => verifyWebhook(BODY, signed(BODY, [SECRET], t + offset), SECRET, { now });
    expect(at(-300).ok).toBe(true);
    expect(at(300).ok).toBe(true);
    expect(reasonOf(at(-301))).toMatch(/too old/);
    expect(reasonOf(at(301))).toMatch(/future/);
    const lenient = { now, toleranceSeconds: 3600 };
    expect(verifyWebhook(BODY, signed(BODY, [SECRET], t - 3600), SECRET, lenient).ok).toBe(true);
    // Without `now`, the real clock.
    expect(verifyWebhook(BODY, signed(BODY, [SECRET], nowSeconds() - 301), SECRET).ok).toBe(false);
  });

  it("fails closed on a NaN tolerance or an invalid clock", () => {
    const headers = signed(BODY);
    expect(verifyWebhook(BODY, headers, SECRET, { toleranceSeconds: Number.NaN }).ok).toBe(false);
    expect(verifyWebhook(BODY, headers, SECRET, { now: new Date("nope") }).ok).toBe(false);
    const untypedNow = { now: 12 } as unknown as { now: Date };
    expect(reasonOf(verifyWebhook(BODY, headers, SECRET, untypedNow))).toMatch(/invalid/);
  });

  it("refuses incomplete, repeated or malformed headers without throwing", () => {
    const h = signed(BODY);
    const cases: Array<[WebhookHeaders, RegExp]> = [
      [{ ...h, "webhook-id": undefined }, /webhook-id/],
      [{ ...h, "webhook-timestamp": undefined }, /webhook-timestamp/],
      [{ ...h, "webhook-signature": "" }, /webhook-signature/],
      [{ ...h, "webhook-id": [EVENT_ID, EVENT_ID] }, /repeated webhook-id/],
      [{ ...h, "webhook-timestamp": "1e9" }, /malformed webhook-timestamp/],
      [{ ...h, "webhook-timestamp": "-5" }, /malformed webhook-timestamp/],
      [{ ...h, "webhook-signature": "v1,!!!not base64!!! v1,%%%" }, /no webhook-signature/],
      [{ ...h, "webhook-signature": "v1," }, /no webhook-signature/],
      [{ ...h, "webhook-signature": h["webhook-signature"].replace("v1,", "v2,") }, /no webhook-signature/],
      [{ ...h, "webhook-signature": `v1,${h["webhook-signature"].slice(3, -2)}` }, /no webhook-signature/],
      [{}, /no signature headers/],
    ];
    for (const [headers, reason] of cases)
      expect(reasonOf(verifyWebhook(BODY, headers, SECRET))).toMatch(reason);
  });

  it("refuses nonsense arguments from untyped callers without throwing", () => {
    const headers = signed(BODY);
    const untyped = verifyWebhook as (...args: unknown[]) => VerifyWebhookResult;
    expect(reasonOf(untyped(JSON.parse(BODY), headers, SECRET))).toMatch(/not parsed JSON/);
    expect(reasonOf(untyped(BODY, null, SECRET))).toMatch(/headers/);
    expect(reasonOf(untyped(BODY, headers, undefined))).toMatch(/secret/);
    expect(untyped(BODY, headers, SECRET, null)).toMatchObject({ ok: true });
    expect(reasonOf(verifyWebhook(BODY, headers, "whsec_"))).toMatch(/empty key/);
  });
});

describe("verifyWebhook: X-Signature-SHA256", () => {
  it("accepts the legacy header alone, with any header-name case", () => {
    const legacy = legacyOnly(signed(BODY, [PLAIN_SECRET]));
    expect(verifyWebhook(BODY, legacy, PLAIN_SECRET)).toEqual({ ok: true, scheme: "legacy" });
    const upper = { "X-Signature-SHA256": legacy["x-signature-sha256"] };
    expect(verifyWebhook(Buffer.from(BODY), upper, PLAIN_SECRET).ok).toBe(true);
  });

  it("refuses a tampered body, a wrong secret and malformed hex", () => {
    const legacy = legacyOnly(signed(BODY, [PLAIN_SECRET]));
    const signature = legacy["x-signature-sha256"] ?? "";
    expect(reasonOf(verifyWebhook(`${BODY} `, legacy, PLAIN_SECRET))).toMatch(/does not match/);
    expect(reasonOf(verifyWebhook(BODY, legacy, SECRET))).toMatch(/does not match/);
    for (const bad of [
      signature.slice(0, 62),
      `${signature}00`,
      `${signature.slice(0, 63)}z`,
      "",
      "sha256=",
    ]) {
      expect(reasonOf(verifyWebhook(BODY, { "x-signature-sha256": bad }, PLAIN_SECRET))).toMatch(/malformed/);
    }
  });

  it("is keyed with the current secret only: during a rotation the old secret fails it", () => {
    const legacy = legacyOnly(signed(BODY, [SECRET, OLD_SECRET]));
    expect(verifyWebhook(BODY, legacy, SECRET).ok).toBe(true);
    expect(reasonOf(verifyWebhook(BODY, legacy, OLD_SECRET))).toMatch(/does not match/);
  });

  it("can refuse legacy-only deliveries, which carry no signed timestamp", () => {
    const legacy = legacyOnly(signed(BODY));
    expect(reasonOf(verifyWebhook(BODY, legacy, SECRET, { allowLegacy: false }))).toMatch(
      /only Standard Webhooks/,
    );
    expect(verifyWebhook(BODY, signed(BODY), SECRET, { allowLegacy: false }).ok).toBe(true);
  });
});

describe("verifyWebhookOrThrow", () => {
  it("returns the scheme and event id, or throws WebhookVerificationError with the reason", () => {
    const headers = signed(BODY);
    expect(verifyWebhookOrThrow(BODY, headers, SECRET)).toEqual({ scheme: "standard", eventId: EVENT_ID });
    expect(verifyWebhookOrThrow(BODY, legacyOnly(headers), SECRET)).toEqual({ scheme: "legacy" });
    let thrown: unknown;
    try {
      verifyWebhookOrThrow("{}", headers, SECRET);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WebhookVerificationError);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({
      name: "WebhookVerificationError",
      reason: expect.stringMatching(/no webhook-signature/),
      message: expect.stringMatching(/^webhook verification failed: no webhook-signature/),
    });
  });
});
