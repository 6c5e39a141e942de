import { afterAll, describe, expect, it } from "vitest";
import { additionalInfoUpdatedData } from "../src/domain/events/catalog.js";
import { inTransaction } from "../src/domain/events/transaction.js";
import { freshDatabase, startTestApp } from "./harness.js";
import { type LeadwireProcess, startProcess } from "./processes.js";
import { startReceiver } from "./receiver.js";
import { eventSource, insertEndpoint, orgIdOf } from "./webhookFixtures.js";

const database = freshDatabase();
const workers: LeadwireProcess[] = [];
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await database.drop();
});

describe("three worker processes on one PostgreSQL", () => {
  it("deliver 5,000 events: each claimed by one worker, none lost, none sent twice", {
    timeout: 120_000,
  }, async () => {
    const t = await startTestApp({
      database,
      realTime: true,
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" },
    });
    const receiver = await startReceiver();
    try {
      const key = await t.newOrg();
      const orgId = await orgIdOf(t, key);
      await insertEndpoint(t, orgId, receiver.url, { maxConcurrency: 20 });
      const { leadId } = await eventSource(t, key);
      const EVENTS = 5000;
      for (let batch = 0; batch < EVENTS / 500; batch++) {
        await inTransaction(t.app.ctx, async (_tx, emit) => {
          for (let i = 0; i < 500; i++) {
            const n = batch * 500 + i;
            await emit({
              orgId,
              leadId,
              type: "lead.additionalInfo.updated",
              data: additionalInfoUpdatedData({
                lead: { leadId, phone: "+12025550189", externalLeadId: null },
                changes: { n: { old: n - 1, new: n } },
              }),
            });
          }
        });
      }

      const env = { ...database.env, WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" };
      workers.push(...(await Promise.all([1, 2, 3].map(() => startProcess(env, "worker")))));
      await receiver.waitFor(EVENTS, 90_000);

      const ids = receiver.received.map((r) => String(r.headers["webhook-id"]));
      expect(new Set(ids).size).toBe(EVENTS);
      await expect
        .poll(
          async () =>
            Number(
              (
                await t.app.database.db
                  .selectFrom("webhook_deliveries")
                  .select((eb) => eb.fn.countAll<number>().as("n"))
                  .where("status", "=", "succeeded")
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          { timeout: 20_000 },
        )
        .toBe(EVENTS);
      const attempts = await t.app.database.db
        .selectFrom("webhook_attempts")
        .select(["delivery_id", "worker_id"])
        .execute();
      // No lease expired, so no delivery was attempted twice: one claim, one worker, one request.
      expect(attempts).toHaveLength(EVENTS);
      expect(receiver.received).toHaveLength(EVENTS);
      expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(EVENTS);
      expect(new Set(attempts.map((a) => a.worker_id)).size).toBe(3);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.exited));
      await receiver.close();
      await t.close();
    }
  });
});
