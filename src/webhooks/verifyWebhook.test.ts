import { createHmac, timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signatureHeaders } from "../domain/webhooks/signature.js";
import { verifyWebhook, verifyWebhookOrThrow, WebhookVerificationError } from "./verifyWebhook.js";

// standardwebhooks checks against the real clock, so signing does too.
const nowSeconds = () => Math.floor(Date.now() / 1000);
const SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const OLD_SECRET = `whsec_${Buffer.from("the previous secret, 32 bytes!!!").toString("base64")}`;
const PLAIN_SECRET = "a plain shared secret";
const EVENT_ID = "0190a1b2c3d47e8f9a0b1c2d3e4f5a6b";
const BODY =
  '{"event":"message.sent","data":{"leadId":"c4f23a1b","phone":"+12025550189","channel":"sms","profile":"Default Profile","isFollowUp":false,"followUpStep":null,"content":{"text":"Hi!"}},"timestamp":"2024-01-15T14:30:00Z"}';

type SignedHeaders = {
  "x-signature-sha256": string;
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

function signed(body: string, secrets: readonly [string, ...string[]] = [SECRET], timestamp = nowSeconds()) {
  return signatureHeaders(body, EVENT_ID, timestamp, secrets) as SignedHeaders;
}

function withoutStandard(headers: SignedHeaders): Record<string, string> {
  const { "webhook-id": _id, "webhook-timestamp": _ts, "webhook-signature": _sig, ...rest } = headers;
  return rest;
}

function reasonOf(result: ReturnType<typeof verifyWebhook>): string {
  return result.ok ? "ok" : result.reason;
}

describe("verifyWebhook: Standard Webhooks headers", () => {
  it("accepts our signature, returns the event id, and agrees with the standardwebhooks package", () => {
    const headers = signed(BODY);
    expect(verifyWebhook(BODY, headers, SECRET)).toEqual({ ok: true, scheme: "standard", eventId: EVENT_ID });
    expect(new Webhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it("accepts a Buffer, a Uint8Array view and a fetch Headers object with any header case", () => {
    const headers = signed(BODY);
    const padded = new TextEncoder().encode(`xx${BODY}yy`).subarray(2, -2);
    const fetchHeaders = new Headers(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    const mixedCase = {
      "Webhook-Id": headers["webhook-id"],
      "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"],
    };
    expect(verifyWebhook(Buffer.from(BODY), headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(padded, headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, fetchHeaders, SECRET).ok).toBe(true);
    expect(
      verifyWebhook(BODY, { ...mixedCase, "Webhook-Signature": [headers["webhook-signature"]] }, SECRET).ok,
    ).toBe(true);
  });

  it("uses the secret's UTF-8 bytes as the key when it has no whsec_ prefix", () => {
    expect(verifyWebhook(BODY, signed(BODY, [PLAIN_SECRET]), PLAIN_SECRET)).toMatchObject({
      ok: true,
      scheme: "standard",
    });
  });

  it("keeps emoji, accents and CJK byte-exact", () => {
    const body = JSON.stringify({
      event: "message.received",
      data: { content: { text: "Ça va? 👋🏽 你好，世界 🇯🇵" } },
    });
    const headers = signed(body);
    expect(verifyWebhook(body, headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(Buffer.from(body, "utf8"), headers, SECRET).ok).toBe(true);
    expect(new Webhook(SECRET).verify(Buffer.from(body, "utf8"), headers)).toEqual(JSON.parse(body));
    // One normalization change (NFD é) is a different body.
    expect(verifyWebhook(body.replace("Ç", "C\u0327"), headers, SECRET).ok).toBe(false);
  });

  it("during a rotation sends two signatures, and each secret alone verifies", () => {
    const headers = signed(BODY, [SECRET, OLD_SECRET]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    for (const secret of [SECRET, OLD_SECRET]) {
      expect(verifyWebhook(BODY, headers, secret).ok).toBe(true);
      expect(() => new Webhook(secret).verify(BODY, headers)).not.toThrow();
    }
    expect(reasonOf(verifyWebhook(BODY, headers, PLAIN_SECRET))).toMatch(/no webhook-signature matches/);
  });

  it("refuses a tampered body, a wrong secret, and another event id", () => {
    const headers = signed(BODY);
    expect(reasonOf(verifyWebhook(BODY.replace("Hi!", "Hi?"), headers, SECRET))).toMatch(
      /no webhook-signature/,
    );
    expect(reasonOf(verifyWebhook(BODY, headers, OLD_SECRET))).toMatch(/no webhook-signature/);
    expect(verifyWebhook(BODY, { ...headers, "webhook-id": "another" }, SECRET).ok).toBe(false);
    expect(() => new Webhook(OLD_SECRET).verify(BODY, headers)).toThrow();
  });

  it("refuses stale and future timestamps (replay protection), within a configurable tolerance", () => {
    const now = new Date("2024-01-15T14:30:00Z");
    const t = now.getTime() / 1000;
    const at = (offset: number) => verifyWebhook(BODY, signed(BODY, [SECRET], t + offset), SECRET, { now });
    expect(at(-300).ok).toBe(true);
    expect(at(300).ok).toBe(true);
    expect(reasonOf(at(-301))).toMatch(/too old/);
    expect(reasonOf(at(301))).toMatch(/future/);
    const lenient = verifyWebhook(BODY, signed(BODY, [SECRET], t - 3600), SECRET, {
      now,
      toleranceSeconds: 3600,
    });
    expect(lenient.ok).toBe(true);
    const stale = signed(BODY, [SECRET], nowSeconds() - 301);
    expect(verifyWebhook(BODY, stale, SECRET).ok).toBe(false);
    expect(() => new Webhook(SECRET).verify(BODY, stale)).toThrow(/too old/);
  });

  it("fails closed on a NaN tolerance or an invalid clock", () => {
    const headers = signed(BODY);
    expect(verifyWebhook(BODY, headers, SECRET, { toleranceSeconds: Number.NaN }).ok).toBe(false);
    expect(verifyWebhook(BODY, headers, SECRET, { now: new Date("nope") }).ok).toBe(false);
  });

  it("refuses incomplete, repeated or malformed headers without throwing", () => {
    const h = signed(BODY);
    const cases: Array<[Record<string, string | string[] | undefined>, RegExp]> = [
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
    const untyped = verifyWebhook as (
      body: unknown,
      headers: unknown,
      secret: unknown,
    ) => ReturnType<typeof verifyWebhook>;
    expect(reasonOf(untyped(JSON.parse(BODY), headers, SECRET))).toMatch(/not parsed JSON/);
    expect(reasonOf(untyped(BODY, null, SECRET))).toMatch(/headers/);
    expect(reasonOf(untyped(BODY, headers, undefined))).toMatch(/secret/);
    expect(reasonOf(verifyWebhook(BODY, headers, "whsec_"))).toMatch(/empty key/);
  });
});

describe("verifyWebhook: X-Signature-SHA256", () => {
  it("accepts the legacy header alone, with any header-name case", () => {
    const legacy = withoutStandard(signed(BODY, [PLAIN_SECRET]));
    expect(verifyWebhook(BODY, legacy, PLAIN_SECRET)).toEqual({ ok: true, scheme: "legacy" });
    const upper = { "X-Signature-SHA256": legacy["x-signature-sha256"] };
    expect(verifyWebhook(Buffer.from(BODY), upper, PLAIN_SECRET).ok).toBe(true);
  });

  it("refuses a tampered body, a wrong secret and malformed hex", () => {
    const legacy = withoutStandard(signed(BODY, [PLAIN_SECRET]));
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

  it("can refuse legacy-only deliveries, which carry no signed timestamp", () => {
    const legacy = withoutStandard(signed(BODY));
    expect(reasonOf(verifyWebhook(BODY, legacy, SECRET, { allowLegacy: false }))).toMatch(
      /only Standard Webhooks/,
    );
  });

  it("verifies with plain Node exactly as the README shows", () => {
    const req = { headers: signed(BODY, [PLAIN_SECRET]) };
    expect(verifyLikeTheReadme(Buffer.from(BODY, "utf8"), req, PLAIN_SECRET)).toBe(true);
    expect(verifyLikeTheReadme(Buffer.from(`${BODY} `, "utf8"), req, PLAIN_SECRET)).toBe(false);
    expect(verifyLikeTheReadme(Buffer.from(BODY, "utf8"), req, "another secret")).toBe(false);
    expect(verifyLikeTheReadme(Buffer.from(BODY, "utf8"), { headers: {} }, PLAIN_SECRET)).toBe(false);
  });

  it("verifies with the standardwebhooks package exactly as the README shows", () => {
    const req = { headers: signed(BODY) };
    const rawBody = Buffer.from(BODY, "utf8");
    const secret = SECRET;
    // README snippet (standardwebhooks) starts
    const payload = new Webhook(secret).verify(rawBody, req.headers); // throws if forged or older than 5 min
    // README snippet ends
    expect(payload).toEqual(JSON.parse(BODY));
  });
});

/** The README's plain-Node X-Signature-SHA256 check, verbatim between the markers. */
function verifyLikeTheReadme(
  rawBody: Buffer,
  req: { headers: Record<string, string | undefined> },
  secret: string,
) {
  // README snippet (X-Signature-SHA256) starts
  const expected = Buffer.from(createHmac("sha256", secret).update(rawBody).digest("hex"));
  const received = Buffer.from(String(req.headers["x-signature-sha256"] ?? ""));
  return received.length === expected.length && timingSafeEqual(received, expected);
  // README snippet ends
}

describe("verifyWebhookOrThrow", () => {
  it("returns the scheme and event id, or throws WebhookVerificationError with the reason", () => {
    const headers = signed(BODY);
    expect(verifyWebhookOrThrow(BODY, headers, SECRET)).toEqual({ scheme: "standard", eventId: EVENT_ID });
    let thrown: unknown;
    try {
      verifyWebhookOrThrow("{}", headers, SECRET);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WebhookVerificationError);
    expect(thrown).toMatchObject({
      name: "WebhookVerificationError",
      reason: expect.stringMatching(/no webhook-signature/),
    });
  });
});
