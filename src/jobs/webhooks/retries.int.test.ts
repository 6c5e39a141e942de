import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { type Reply, startReceiver } from "../../../test/receiver.js";
import { eventSource, insertEndpoint, orgIdOf } from "../../../test/webhookFixtures.js";
import { claimDeliveries } from "./claimDeliveries.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SECOND = 1000;
const HOUR = 3_600_000;

/** An app on the manual clock, one endpoint answering from `replies` (then 200), one event emitted. */
async function scenario(replies: Reply[]) {
  const t = await startTestApp({
    env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", WEBHOOK_TIMEOUT_MS: "1000" },
  });
  cleanups.push(() => t.close());
  const r = await startReceiver((_req, i) => replies[i] ?? { status: 200 });
  cleanups.push(() => r.close());
  const key = await t.newOrg();
  const endpointId = await insertEndpoint(t, await orgIdOf(t, key), r.url);
  const source = await eventSource(t, key);
  await source.emit();
  return { t, r, endpointId, source };
}

async function delivery(t: TestApp) {
  return t.app.database.db.selectFrom("webhook_deliveries").selectAll().executeTakeFirstOrThrow();
}

async function endpoint(t: TestApp, id: string) {
  return t.app.database.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

/** Ms from the manual clock's now to the delivery's next attempt. */
async function waitMs(t: TestApp): Promise<number> {
  const d = await delivery(t);
  return new Date(d.next_attempt_at ?? 0).getTime() - t.clock.now().getTime();
}

describe("retries on the injected clock", () => {
  it("walks the whole schedule with jitter, then fails and stays replayable", async () => {
    const { t, r } = await scenario(Array(8).fill({ status: 500, body: "boom" }));
    const steps = [5 * SECOND, 300 * SECOND, 1800 * SECOND, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
    for (const [i, step] of steps.entries()) {
      expect(await t.app.webhooks.runDue()).toBe(1);
      const wait = await waitMs(t);
      expect(wait).toBeGreaterThanOrEqual(step * 0.8);
      expect(wait).toBeLessThanOrEqual(step * 1.2);
      expect(await delivery(t)).toMatchObject({ status: "pending", attempts: i + 1, last_status_code: 500 });
      // Nothing is sent before the time comes.
      t.clock.advance(wait - 1);
      expect(await t.app.webhooks.runDue()).toBe(0);
      t.clock.advance(1);
    }
    expect(await t.app.webhooks.runDue()).toBe(1);
    expect(await delivery(t)).toMatchObject({
      status: "failed",
      attempts: 8,
      next_attempt_at: null,
      last_error: "HTTP 500",
    });
    expect(r.received).toHaveLength(8);
    // Every attempt's webhook-id is the event id: receivers de-duplicate on it.
    expect(new Set(r.received.map((x) => x.headers["webhook-id"])).size).toBe(1);
    const attempts = await t.app.database.db.selectFrom("webhook_attempts").selectAll().execute();
    expect(attempts).toHaveLength(8);
    expect(
      attempts.every((a) => a.status_code === 500 && a.response_body === "boom" && a.succeeded === 0),
    ).toBe(true);
    t.clock.advance(100 * HOUR);
    expect(await t.app.webhooks.runDue()).toBe(0);
  });

  it("succeeds on a later attempt and clears the endpoint's failure streak", async () => {
    const { t, r, endpointId } = await scenario([{ status: 503 }, { status: 502 }]);
    await t.app.webhooks.runDue();
    expect((await endpoint(t, endpointId)).failing_since).toBe(t.clock.now().toISOString());
    t.clock.advance(await waitMs(t));
    await t.app.webhooks.runDue();
    t.clock.advance(await waitMs(t));
    await t.app.webhooks.runDue();
    expect(await delivery(t)).toMatchObject({
      status: "succeeded",
      attempts: 3,
      last_status_code: 200,
      last_error: null,
    });
    expect(r.received).toHaveLength(3);
    expect((await endpoint(t, endpointId)).failing_since).toBeNull();
  });

  it("honours Retry-After within [step, 2 × step] and waits 60 s after a 429", async () => {
    const { t } = await scenario([
      { status: 429, headers: { "retry-after": "1" } },
      { status: 503, headers: { "retry-after": "400" } },
      { status: 503, headers: { "retry-after": "99999" } },
    ]);
    await t.app.webhooks.runDue();
    expect(await waitMs(t)).toBe(60 * SECOND);
    t.clock.advance(60 * SECOND);
    await t.app.webhooks.runDue();
    expect(await waitMs(t)).toBe(400 * SECOND);
    t.clock.advance(400 * SECOND);
    await t.app.webhooks.runDue();
    expect(await waitMs(t)).toBe(3600 * SECOND);
  });

  it("treats a timeout as a failure that waits at least 60 s, with the error recorded", async () => {
    const { t } = await scenario([{ status: 200, delayMs: 5_000 }]);
    await t.app.webhooks.runDue();
    expect(await waitMs(t)).toBe(60 * SECOND);
    const [attempt] = await t.app.database.db.selectFrom("webhook_attempts").selectAll().execute();
    expect(attempt?.status_code).toBeNull();
    expect(attempt?.error).toMatch(/timeout|aborted/i);
    expect(attempt?.duration_ms).toBeGreaterThanOrEqual(900);
  });

  it("disables the endpoint at once on 410 Gone; a disabled endpoint gets nothing", async () => {
    const { t, r, endpointId, source } = await scenario([{ status: 410 }]);
    await t.app.webhooks.runDue();
    expect(await endpoint(t, endpointId)).toMatchObject({ enabled: 0, disabled_reason: "gone" });
    expect(await delivery(t)).toMatchObject({ status: "failed", attempts: 1, last_status_code: 410 });
    await source.emit();
    t.clock.advance(24 * HOUR);
    expect(await t.app.webhooks.runDue()).toBe(0);
    expect(r.received).toHaveLength(1);
  });

  it("disables an endpoint whose deliveries have all failed for 5 days", async () => {
    const { t, endpointId, source } = await scenario(Array(100).fill({ status: 500 }));
    await t.app.webhooks.runDue();
    const since = t.clock.now().toISOString();
    // Keep failing: a new event every 12 hours, each failing at once.
    for (let hour = 12; hour < 5 * 24; hour += 12) {
      t.clock.advance(12 * HOUR);
      await source.emit();
      await t.app.webhooks.runDue();
      expect(await endpoint(t, endpointId)).toMatchObject({ enabled: 1, failing_since: since });
    }
    t.clock.advance(12 * HOUR);
    await source.emit();
    await t.app.webhooks.runDue();
    expect(await endpoint(t, endpointId)).toMatchObject({ enabled: 0, disabled_reason: "failing" });
  });

  it("re-claims a delivery whose worker lease expired (a worker died mid-request)", async () => {
    const { t, r } = await scenario([]);
    // A worker that claims the delivery for one minute and dies before sending it.
    const claimed = await claimDeliveries(t.app.database, {
      workerId: "dead-worker",
      now: t.clock.now(),
      leaseMs: 60_000,
      limit: 10,
      excludeEndpoints: [],
      pick: (candidates) => candidates,
    });
    expect(claimed).toHaveLength(1);
    expect(await t.app.webhooks.runDue()).toBe(0);
    t.clock.advance(60_001);
    expect(await t.app.webhooks.runDue()).toBe(1);
    expect(r.received).toHaveLength(1);
    expect(await delivery(t)).toMatchObject({ status: "succeeded", locked_by: null });
  });
});
