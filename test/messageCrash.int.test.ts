import { afterAll, describe, expect, it } from "vitest";
import { startFakeTwilio } from "./fakeTwilio.js";
import { freshDatabase, startTestApp } from "./harness.js";
import { type LeadwireProcess, startProcess } from "./processes.js";

const database = freshDatabase();
const children: LeadwireProcess[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  await database.drop();
});

const SID = `AC${"b2".repeat(16)}`;
const TOKEN = "crash-test-token";

describe("a worker killed between claiming a send and the provider's answer", () => {
  it("leaves the message `unknown`: the provider saw one request and is never asked again", {
    timeout: 60_000,
  }, async () => {
    const twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
    twilio.respondWith(() => ({ hang: true }));
    const env = {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: "+12025550000",
      TWILIO_API_BASE_URL: twilio.baseUrl,
    };
    const t = await startTestApp({ database, realTime: true, env });
    try {
      const key = await t.newOrg();
      await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
      const lead = await t.request("POST", "/v1/leads/create", {
        key,
        body: { firstName: "A", lastName: "B", phone: "+12025550123", customerProfile: "P" },
      });
      const leadId = (lead.body as { id: string }).id;
      const sent = await t.request("POST", `/v1/leads/${leadId}/sendMessage`, {
        key,
        body: { message: "only once", overrideBusinessHours: true },
      });
      const messageId = (sent.body as { messageId: string }).messageId;

      const workerEnv = {
        ...database.env,
        ...env,
        MESSAGE_CLAIM_LEASE_MS: "1500",
        WORKER_POLL_INTERVAL_MS: "100",
      };
      const first = await startProcess(workerEnv, "worker");
      children.push(first);
      await expect.poll(() => twilio.requests.length, { timeout: 15_000 }).toBe(1);
      first.child.kill("SIGKILL");
      await first.exited;
      const claimed = await t.app.database.db
        .selectFrom("messages")
        .select("status")
        .where("id", "=", messageId)
        .executeTakeFirstOrThrow();
      expect(claimed.status).toBe("sending");

      twilio.respondWith(undefined);
      const second = await startProcess(workerEnv, "worker");
      children.push(second);
      await expect
        .poll(
          async () =>
            (
              await t.app.database.db
                .selectFrom("messages")
                .select("status")
                .where("id", "=", messageId)
                .executeTakeFirstOrThrow()
            ).status,
          { timeout: 15_000, interval: 200 },
        )
        .toBe("unknown");
      // Give the new worker several more polls: it must not send the message again.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(twilio.requests).toHaveLength(1);
      const events = await t.app.database.db
        .selectFrom("events")
        .select("type")
        .where("type", "=", "message.sent")
        .execute();
      expect(events).toEqual([]);
      second.child.kill("SIGTERM");
      await second.exited;
    } finally {
      await t.close();
      await twilio.close();
    }
  });
});
