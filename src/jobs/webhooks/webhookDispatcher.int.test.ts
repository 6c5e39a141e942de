import { createHmac, timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../test/receiver.js";
import { eventSource, insertEndpoint, orgIdOf, TEST_SECRET } from "../../../test/webhookFixtures.js";

const PRIVATE_OK = { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  options: { realTime?: boolean; role?: "api" | "all"; env?: Record<string, string> } = {},
) {
  const t = await startTestApp({
    env: { ...PRIVATE_OK, ...options.env },
    role: options.role ?? "api",
    realTime: options.realTime,
  });
  cleanups.push(() => t.close());
  const key = await t.newOrg();
  const orgId = await orgIdOf(t, key);
  return { t, key, orgId };
}

async function receiver(reply?: Receiver["reply"]): Promise<Receiver> {
  const r = await startReceiver(reply);
  cleanups.push(() => r.close());
  return r;
}

async function deliveryRows(t: TestApp) {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

describe("webhook dispatch", () => {
  it("delivers each committed event, signed with both schemes, body byte-identical to the stored event", async () => {
    const { t, key, orgId } = await setup({ realTime: true, role: "all" });
    const r = await receiver();
    await insertEndpoint(t, orgId, `${r.url}/hook`);
    const source = await eventSource(t, key);
    await source.emit("Ünïcödé ✓ 你好 🚀");
    await r.waitFor(1);

    const [event] = await t.app.database.db.selectFrom("events").selectAll().execute();
    const got = r.received[0];
    expect(got?.body.equals(Buffer.from(event?.body ?? "", "utf8"))).toBe(true);
    expect(got?.body.toString("utf8")).toContain('"new":"Ünïcödé ✓ 你好 🚀"');
    expect(got?.headers["content-type"]).toBe("application/json");
    expect(got?.headers["user-agent"]).toMatch(/^Leadwire-Webhooks\/\d+\.\d+\.\d+$/);
    expect(got?.headers["webhook-id"]).toBe(event?.id);

    // What a customer writes with node:crypto for the legacy header.
    const expected = createHmac("sha256", TEST_SECRET)
      .update(got?.body ?? Buffer.alloc(0))
      .digest();
    const sent = Buffer.from(String(got?.headers["x-signature-sha256"]), "hex");
    expect(sent.length === expected.length && timingSafeEqual(sent, expected)).toBe(true);
    // And the Standard Webhooks reference library.
    const verified = new Webhook(TEST_SECRET).verify(got?.body.toString("utf8") ?? "", {
      "webhook-id": String(got?.headers["webhook-id"]),
      "webhook-timestamp": String(got?.headers["webhook-timestamp"]),
      "webhook-signature": String(got?.headers["webhook-signature"]),
    });
    expect(verified).toEqual(JSON.parse(event?.body ?? "{}"));

    await expect.poll(async () => (await deliveryRows(t))[0]?.status).toBe("succeeded");
    const [attempt] = await t.app.database.db.selectFrom("webhook_attempts").selectAll().execute();
    expect(attempt).toMatchObject({ status_code: 200, response_body: "ok", error: null, succeeded: 1 });
  });

  it("signs with the old and the new secret during a rotation, the old one alone after expiry is dropped", async () => {
    const { t, key, orgId } = await setup({ realTime: true });
    const r = await receiver();
    const endpointId = await insertEndpoint(t, orgId, r.url);
    const oldSecret = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=";
    await t.app.database.db
      .updateTable("webhook_endpoints")
      .set({
        previous_secret: oldSecret,
        previous_secret_expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      })
      .where("id", "=", endpointId)
      .execute();
    const source = await eventSource(t, key);
    await source.emit();
    await t.app.webhooks.runDue();
    const got = r.received[0];
    const signatures = String(got?.headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    const headers = {
      "webhook-id": String(got?.headers["webhook-id"]),
      "webhook-timestamp": String(got?.headers["webhook-timestamp"]),
      "webhook-signature": String(got?.headers["webhook-signature"]),
    };
    expect(() => new Webhook(TEST_SECRET).verify(got?.body.toString() ?? "", headers)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(got?.body.toString() ?? "", headers)).not.toThrow();

    await t.app.database.db
      .updateTable("webhook_endpoints")
      .set({ previous_secret_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", endpointId)
      .execute();
    await source.emit();
    await t.app.webhooks.runDue();
    expect(String(r.received[1]?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
  });

  it("honours each endpoint's event filter and skips disabled endpoints", async () => {
    const { t, key, orgId } = await setup();
    const all = await receiver();
    const tagsOnly = await receiver();
    const disabled = await receiver();
    await insertEndpoint(t, orgId, all.url);
    await insertEndpoint(t, orgId, tagsOnly.url, { events: ["leadTagged"] });
    const off = await insertEndpoint(t, orgId, disabled.url);
    await t.app.database.db
      .updateTable("webhook_endpoints")
      .set({ enabled: 0 })
      .where("id", "=", off)
      .execute();
    const source = await eventSource(t, key);
    await source.emit();
    await t.app.webhooks.runDue();
    expect(all.received).toHaveLength(1);
    expect(tagsOnly.received).toHaveLength(0);
    expect(disabled.received).toHaveLength(0);
  });

  it("starts a delivery right after its event commits, without waiting for a poll", async () => {
    const { t, key, orgId } = await setup({ role: "all", env: { WORKER_POLL_INTERVAL_MS: "60000" } });
    const r = await receiver();
    await insertEndpoint(t, orgId, r.url);
    const source = await eventSource(t, key);
    // Let the loop settle into its (one-minute) idle wait first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await source.emit();
    await r.waitFor(1, 5_000);
  });

  it("hands back a queued delivery that could no longer finish inside its lease, and sends each once", async () => {
    // Lease 1.4 s, request timeout 1 s: a claimed delivery must start within 0.4 s of its claim.
    // The endpoint takes one request at a time and answers in 0.6 s, so queued deliveries run out
    // of time; sending them anyway would overlap the next claim of the same delivery.
    const { t, key, orgId } = await setup({
      realTime: true,
      role: "all",
      env: { WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_LEASE_MS: "1400" },
    });
    const slow = await receiver(() => ({ status: 200, delayMs: 600 }));
    await insertEndpoint(t, orgId, slow.url, { maxConcurrency: 1 });
    const source = await eventSource(t, key);
    for (let i = 0; i < 4; i++) await source.emit();
    await slow.waitFor(4, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ids = slow.received.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    const rows = await deliveryRows(t);
    expect(rows.map((d) => [d.status, d.attempts])).toEqual(Array(4).fill(["succeeded", 1]));
  });

  it("keeps a healthy endpoint flowing beside one that never answers", async () => {
    const { t, key, orgId } = await setup({ role: "all", env: { WEBHOOK_TIMEOUT_MS: "3000" } });
    const dead = await receiver(() => ({ status: 200, delayMs: Number.POSITIVE_INFINITY }));
    const healthy = await receiver();
    const deadId = await insertEndpoint(t, orgId, dead.url, { maxConcurrency: 2 });
    await insertEndpoint(t, orgId, healthy.url, { maxConcurrency: 2 });
    const source = await eventSource(t, key);
    const started = performance.now();
    for (let i = 0; i < 30; i++) await source.emit();
    await healthy.waitFor(30, 10_000);
    const healthyDoneMs = performance.now() - started;
    // All 30 reached the healthy endpoint before the dead one's first request could even time out,
    // while the dead endpoint holds only its 2 allowed requests.
    expect(healthyDoneMs).toBeLessThan(3000);
    expect(dead.received.length).toBeLessThanOrEqual(2);
    const deadRows = (await deliveryRows(t)).filter((d) => d.endpoint_id === deadId);
    expect(deadRows.map((d) => d.status)).toEqual(Array(30).fill("pending"));
  });
});
