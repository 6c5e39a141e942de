import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../test/receiver.js";
import { eventSource, insertEndpoint, orgIdOf, TEST_SECRET } from "../../../test/webhookFixtures.js";
import { additionalInfoUpdatedData } from "../events/catalog.js";
import { inTransaction } from "../events/transaction.js";
import type { DeliveryHandoff, DeliveryToSend, HandoffClaim } from "./handoff.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Stands in for this process's dispatcher: hands out a fixed claim and keeps what it is given. */
function recordingHandoff(claim: HandoffClaim | undefined) {
  const accepted: DeliveryToSend[][] = [];
  const handoff: DeliveryHandoff = {
    claim: () => claim,
    accept: (deliveries) => {
      accepted.push(deliveries);
    },
  };
  return { handoff, accepted };
}

async function setup(role: "api" | "all" = "api") {
  const t = await startTestApp({
    role,
    realTime: role === "all",
    env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" },
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

function deliveries(t: TestApp) {
  return t.app.database.db.selectFrom("webhook_deliveries").selectAll().orderBy("id").execute();
}

/** The `n`th change of a lead's additionalInfo, as an event to emit. */
function nthChange(orgId: string, leadId: string, n: number) {
  return {
    orgId,
    leadId,
    type: "lead.additionalInfo.updated" as const,
    data: additionalInfoUpdatedData({
      lead: { leadId, phone: "+12025550189", externalLeadId: null },
      changes: { n: { old: n - 1, new: n } },
    }),
  };
}

/** One transaction emitting `count` events of one lead. */
async function emitMany(t: TestApp, orgId: string, leadId: string, count: number): Promise<void> {
  await inTransaction(t.app.ctx, async (_tx, emit) => {
    for (let n = 0; n < count; n++) await emit(nthChange(orgId, leadId, n));
  });
}

describe("deliveries handed to this process's dispatcher as they are written", () => {
  it("writes a PATCH's delivery claimed by the dispatcher and hands it over with what sending needs", async () => {
    const { t, key, orgId } = await setup();
    const endpointId = await insertEndpoint(t, orgId, "http://127.0.0.1:9/hook", { maxConcurrency: 7 });
    const source = await eventSource(t, key);
    const until = "2024-01-15T14:31:00.000Z";
    const { handoff, accepted } = recordingHandoff({
      workerId: "worker-a",
      until,
      room: {},
      defaultRoom: 4,
    });
    t.app.ctx.deliveryHandoff = handoff;

    await source.emit("handed");

    const [row] = await deliveries(t);
    expect(row).toMatchObject({
      endpoint_id: endpointId,
      status: "pending",
      attempts: 0,
      locked_by: "worker-a",
      locked_until: until,
      // Not due for anyone else until the lease ends.
      next_attempt_at: until,
    });
    const event = await t.app.database.db.selectFrom("events").selectAll().executeTakeFirstOrThrow();
    expect(accepted).toEqual([
      [
        {
          id: row?.id,
          orgId,
          endpointId,
          eventId: event.id,
          attempts: 0,
          url: "http://127.0.0.1:9/hook",
          secret: TEST_SECRET,
          previousSecret: null,
          previousSecretExpiresAt: null,
          maxConcurrency: 7,
          rateLimitPerSecond: null,
          body: event.body,
          isTest: 0,
        },
      ],
    ]);
  });

  it("claims each endpoint's deliveries only up to its room; the rest are due for any worker", async () => {
    const { t, key, orgId } = await setup();
    const roomy = await insertEndpoint(t, orgId, "http://127.0.0.1:9/roomy");
    const full = await insertEndpoint(t, orgId, "http://127.0.0.1:9/full");
    const unknown = await insertEndpoint(t, orgId, "http://127.0.0.1:9/unknown");
    const { leadId } = await eventSource(t, key);
    const { handoff, accepted } = recordingHandoff({
      workerId: "worker-a",
      until: "2024-01-15T14:31:00.000Z",
      room: { [roomy]: 3, [full]: 0 },
      defaultRoom: 1,
    });
    t.app.ctx.deliveryHandoff = handoff;

    await emitMany(t, orgId, leadId, 4);

    const rows = await deliveries(t);
    const claimedOf = (endpointId: string) =>
      rows.filter((r) => r.endpoint_id === endpointId && r.locked_by === "worker-a").length;
    const dueOf = (endpointId: string) =>
      rows.filter((r) => r.endpoint_id === endpointId && r.locked_by === null && r.next_attempt_at !== null)
        .length;
    expect([claimedOf(roomy), dueOf(roomy)]).toEqual([3, 1]);
    expect([claimedOf(full), dueOf(full)]).toEqual([0, 4]);
    expect([claimedOf(unknown), dueOf(unknown)]).toEqual([1, 3]);
    // Handed over: exactly the claimed rows, the first events of each endpoint.
    const handed = accepted.flat();
    expect(handed.map((d) => d.id).sort()).toEqual(
      rows
        .filter((r) => r.locked_by === "worker-a")
        .map((r) => r.id)
        .sort(),
    );
    const events = await t.app.database.db
      .selectFrom("events")
      .select("id")
      .orderBy("seq")
      .orderBy("id")
      .execute();
    const firstEvents = new Set(events.slice(0, 3).map((e) => e.id));
    expect(handed.every((d) => firstEvents.has(d.eventId))).toBe(true);
  });

  it("claims nothing when the dispatcher takes nothing, and hands nothing over", async () => {
    const { t, key, orgId } = await setup();
    await insertEndpoint(t, orgId, "http://127.0.0.1:9/hook");
    const source = await eventSource(t, key);
    const { handoff, accepted } = recordingHandoff(undefined);
    t.app.ctx.deliveryHandoff = handoff;

    await source.emit();

    const [row] = await deliveries(t);
    expect(row).toMatchObject({ status: "pending", locked_by: null, locked_until: null });
    expect(row?.next_attempt_at).not.toBeNull();
    expect(accepted).toEqual([]);
  });

  it("a rolled-back transaction hands nothing over and leaves no delivery", async () => {
    const { t, key, orgId } = await setup();
    await insertEndpoint(t, orgId, "http://127.0.0.1:9/hook");
    const { leadId } = await eventSource(t, key);
    const { handoff, accepted } = recordingHandoff({
      workerId: "worker-a",
      until: "2024-01-15T14:31:00.000Z",
      room: {},
      defaultRoom: 4,
    });
    t.app.ctx.deliveryHandoff = handoff;

    await expect(
      inTransaction(t.app.ctx, async (_tx, emit) => {
        await emit(nthChange(orgId, leadId, 1));
        throw new Error("the work failed after emitting");
      }),
    ).rejects.toThrow("the work failed after emitting");

    expect(await deliveries(t)).toEqual([]);
    expect(accepted).toEqual([]);
  });

  it("the running dispatcher sends a burst of handed-over deliveries once each, and records them", async () => {
    const { t, key, orgId } = await setup("all");
    const r = await receiver();
    await insertEndpoint(t, orgId, r.url, { maxConcurrency: 5 });
    const source = await eventSource(t, key);
    const dispatcher = t.app.ctx.deliveryHandoff;
    if (dispatcher === undefined) throw new Error("a process running workers hands deliveries over");
    let handed = 0;
    t.app.ctx.deliveryHandoff = {
      claim: (now) => dispatcher.claim(now),
      accept: (given) => {
        handed += given.length;
        dispatcher.accept(given);
      },
    };
    const CHANGES = 120;
    await Promise.all(Array.from({ length: CHANGES }, (_, i) => source.emit(i)));
    await r.waitFor(CHANGES);

    await expect
      .poll(async () => (await deliveries(t)).filter((d) => d.status === "succeeded").length, {
        timeout: 20_000,
      })
      .toBe(CHANGES);
    const ids = r.received.map((got) => String(got.headers["webhook-id"]));
    expect(new Set(ids).size).toBe(CHANGES);
    const rows = await deliveries(t);
    expect(rows.every((d) => d.attempts === 1 && d.locked_by === null)).toBe(true);
    // Its room (5 slots and 4 rounds of queue) took some as they were written; claims the rest.
    expect(handed).toBeGreaterThan(0);
  });
});
