import { createHmac, timingSafeEqual } from "node:crypto";
import fc from "fast-check";
import Fastify from "fastify";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../packages/webhooks/index.js";
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
} from "../../packages/webhooks/test/fixtures.js";
import { signatureHeaders, signingKey } from "../domain/webhooks/signature.js";

// What the server sends (signatureHeaders, as the dispatcher calls it) against what receivers
// run: @leadwire/webhooks, which has its own copy of the key derivation, the standardwebhooks
// package, and the snippets of the README and of packages/webhooks/README.md.

function signed(body: string, secrets: readonly [string, ...string[]] = [SECRET], timestamp = nowSeconds()) {
  return signatureHeaders(body, EVENT_ID, timestamp, secrets) as SignedHeaders;
}

describe("the server's signatures, verified by @leadwire/webhooks", () => {
  it("accepts both schemes for whsec_ and plain secrets, over any body", () => {
    for (const secret of [SECRET, PLAIN_SECRET]) {
      for (const body of [BODY, UNICODE_BODY]) {
        const headers = signed(body, [secret]);
        expect(verifyWebhook(body, headers, secret)).toEqual({
          ok: true,
          scheme: "standard",
          eventId: EVENT_ID,
        });
        expect(verifyWebhook(Buffer.from(body, "utf8"), legacyOnly(headers), secret)).toEqual({
          ok: true,
          scheme: "legacy",
        });
      }
    }
  });

  it("derives the key exactly as the server does, for any secret and body", () => {
    // Not only the secrets the API accepts: any text after whsec_, however Buffer decodes it.
    const secret = fc.oneof(
      fc.string({ minLength: 1, unit: "binary" }),
      fc.string({ unit: fc.constantFrom(..."AZaz09+/-_= \n.!é") }).map((s) => `whsec_${s}`),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => `whsec_${Buffer.from(b).toString("base64")}`),
    );
    fc.assert(
      fc.property(secret, fc.string({ unit: "binary" }), (s, body) => {
        fc.pre(signingKey(s).length > 0);
        const headers = signed(body, [s]);
        expect(verifyWebhook(body, headers, s)).toMatchObject({ ok: true, scheme: "standard" });
        expect(verifyWebhook(body, legacyOnly(headers), s)).toMatchObject({ ok: true, scheme: "legacy" });
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it("during a rotation: either secret verifies webhook-signature, X-Signature-SHA256 only the current", () => {
    const headers = signed(BODY, [SECRET, OLD_SECRET]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook(BODY, headers, SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, headers, OLD_SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, legacyOnly(headers), SECRET).ok).toBe(true);
    expect(verifyWebhook(BODY, legacyOnly(headers), OLD_SECRET).ok).toBe(false);
  });
});

describe("the server's signatures, verified by the standardwebhooks package", () => {
  it("accepts our signature, also with emoji and CJK, and refuses a wrong secret", () => {
    const headers = signed(BODY);
    expect(new Webhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    const unicode = Buffer.from(UNICODE_BODY, "utf8");
    expect(new Webhook(SECRET).verify(unicode, signed(UNICODE_BODY))).toEqual(JSON.parse(UNICODE_BODY));
    expect(() => new Webhook(OLD_SECRET).verify(BODY, headers)).toThrow();
  });

  it("needs format raw for a secret without whsec_, as the README says", () => {
    const headers = signed(BODY, [PLAIN_SECRET]);
    expect(new Webhook(PLAIN_SECRET, { format: "raw" }).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    expect(() => new Webhook(PLAIN_SECRET).verify(BODY, headers)).toThrow();
  });

  it("accepts each secret of a rotation, and refuses a stale timestamp", () => {
    const headers = signed(BODY, [SECRET, OLD_SECRET]);
    for (const secret of [SECRET, OLD_SECRET]) {
      expect(() => new Webhook(secret).verify(BODY, headers)).not.toThrow();
    }
    expect(() => new Webhook(SECRET).verify(BODY, signed(BODY, [SECRET], nowSeconds() - 301))).toThrow(
      /too old/,
    );
  });
});

describe("the README snippets", () => {
  it("verifies X-Signature-SHA256 with plain Node exactly as the README shows", () => {
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

  it("verifies in Fastify as packages/webhooks/README.md shows", async () => {
    const received: unknown[] = [];
    const app = Fastify();
    const env = { LEADWIRE_WEBHOOK_SECRET: SECRET };
    // packages/webhooks README snippet (Fastify) starts: the same code, typed, with `env` for
    // process.env and `received.push` for "handle event"
    app.register(async (hooks) => {
      // In this plugin only: keep JSON bodies as Buffers.
      hooks.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) =>
        done(null, body),
      );
      hooks.post<{ Body: Buffer }>("/leadwire", async (request, reply) => {
        const result = verifyWebhook(request.body, request.headers, env.LEADWIRE_WEBHOOK_SECRET);
        if (!result.ok) return reply.code(400).send(result.reason);
        const event = JSON.parse(request.body.toString("utf8"));
        received.push(event);
        return reply.code(204).send();
      });
    });
    // packages/webhooks README snippet ends
    // Outside the plugin, JSON is still parsed as usual.
    app.post("/other", async (request) => request.body);
    try {
      const post = (payload: string, headers: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: "/leadwire",
          payload,
          headers: { ...headers, "content-type": "application/json" },
        });
      expect((await post(BODY, signed(BODY))).statusCode).toBe(204);
      expect(received).toEqual([JSON.parse(BODY)]);
      const tampered = await post(BODY.replace("Hi!", "Hi?"), signed(BODY));
      expect(tampered.statusCode).toBe(400);
      expect(tampered.body).toMatch(/no webhook-signature/);
      const other = await app.inject({ method: "POST", url: "/other", payload: { a: 1 } });
      expect(other.json()).toEqual({ a: 1 });
    } finally {
      await app.close();
    }
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
