import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";
import { type Receiver, startReceiver } from "../../test/receiver.js";
import { eventSource, insertEndpoint, orgIdOf } from "../../test/webhookFixtures.js";
import { pruneOnce } from "./retention.js";

let t: TestApp;
let r: Receiver;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", RETENTION_DAYS: "30" } });
  r = await startReceiver((_req, i) => (i === 0 ? { status: 200 } : { status: 500 }));
});
afterAll(async () => {
  await r.close();
  await t.close();
});

const count = async (table: "events" | "webhook_deliveries" | "webhook_attempts") =>
  (await t.app.database.db.selectFrom(table).select("id").execute()).length;

describe("retention", () => {
  it("prunes old attempts, finished deliveries and their events in batches, keeping anything pending", async () => {
    const key = await t.newOrg();
    await insertEndpoint(t, await orgIdOf(t, key), r.url);
    const source = await eventSource(t, key);
    // An old event delivered at once, and an old one still retrying.
    await source.emit();
    await source.emit();
    await t.app.webhooks.runDue();
    // 1,200 old events with no endpoint interested: more than two batches.
    await t.app.database.db.updateTable("webhook_endpoints").set({ events: '["leadTagged"]' }).execute();
    for (let i = 0; i < 1200; i++) await source.emit();
    expect(await count("events")).toBe(1202);

    t.clock.advance(31 * DAY);
    await source.emit(); // a fresh event stays
    const counts = await t.app.retention.runOnce();
    expect(counts).toEqual({ attempts: 2, deliveries: 1, events: 1201 });
    // The retrying delivery (pending) and its event survive; so does the fresh event.
    const left = await t.app.database.db.selectFrom("webhook_deliveries").select(["status"]).execute();
    expect(left.map((d) => d.status)).toEqual(["pending"]);
    expect(await count("events")).toBe(2);
    expect(await count("webhook_attempts")).toBe(0);
    // Nothing more to do on a second pass.
    expect(await pruneOnce(t.app.database, new Date(t.clock.now().getTime() - 30 * DAY))).toEqual({
      attempts: 0,
      deliveries: 0,
      events: 0,
    });
  });
});
