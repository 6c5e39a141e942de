import { afterAll, describe, expect, it } from "vitest";
import type { CreateProfileResponse } from "../src/http/routes/profiles/createProfile.js";
import { newLeadId } from "../src/ids.js";
import { startFakeTwilio } from "./fakeTwilio.js";
import { freshDatabase, startTestApp, type TestApp } from "./harness.js";
import { type LeadwireProcess, startProcess } from "./processes.js";
import { startReceiver } from "./receiver.js";
import { insertEndpoint, orgIdOf } from "./webhookFixtures.js";

const SID = `AC${"c3".repeat(16)}`;
const TOKEN = "scale-out-token";
const workers: LeadwireProcess[] = [];
const databases: ReturnType<typeof freshDatabase>[] = [];
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  for (const d of databases) await d.drop();
});

/** An org whose window is always open, a one-step profile, and `count` leads whose step is due now. */
async function dueLeads(t: TestApp, count: number, receiverUrl: string) {
  const key = await t.newOrg();
  const orgId = await orgIdOf(t, key);
  await insertEndpoint(t, orgId, receiverUrl, { events: ["message.sent"], maxConcurrency: 20 });
  await t.request("PATCH", "/v1/settings", {
    key,
    body: {
      followUpWindow: { startHour: 0, endHour: 24, days: [1, 2, 3, 4, 5, 6, 7] },
      quietHours: { enabled: false },
      // Its own number: the server's TWILIO_FROM belongs to the default org.
      senders: { sms: { from: "+12025550001" } },
    },
  });
  const profile = await t.post<CreateProfileResponse>(
    "/v1/profiles",
    {
      name: "Burst",
      followUpConfig: { "1": { hours: 1, channel: "text" } },
      followUpTemplates: { "1": { text: "Step one for {{firstName}}" } },
    },
    { key },
  );
  const profileId = profile.body.id;
  const now = new Date(Date.now() - 1000).toISOString();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newLeadId(),
    org_id: orgId,
    profile_id: profileId,
    first_name: `Lead${i}`,
    last_name: "Burst",
    phone: `+1202${String(5_000_000 + i).padStart(7, "0")}`,
    email: null,
    time_zone: "America/New_York",
    external_lead_id: null,
    additional_info: "{}",
    summary: null,
    has_replied: 0 as const,
    is_hot: 0 as const,
    is_qualified: 0 as const,
    is_unsubscribed: 0 as const,
    is_ai_on: 1 as const,
    follow_up_config: null,
    follow_up_step: 1,
    next_follow_up_at: now,
    created_at: now,
    updated_at: now,
    last_activity_at: null,
    deleted_at: null,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await t.app.database.db
      .insertInto("leads")
      .values(rows.slice(i, i + 500))
      .execute();
  }
  return rows.map((r) => r.phone);
}

const countByStatus = async (t: TestApp) =>
  Object.fromEntries(
    (
      await t.app.database.db
        .selectFrom("messages")
        .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
        .groupBy("status")
        .execute()
    ).map((r) => [r.status, Number(r.n)]),
  );

describe("follow-ups with three worker processes on one PostgreSQL", () => {
  it("sends each due step exactly once: 2,000 leads, one provider request and one message.sent each", {
    timeout: 180_000,
  }, async () => {
    const database = freshDatabase();
    databases.push(database);
    const twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
    const receiver = await startReceiver();
    const env = {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: "+12025550000",
      TWILIO_API_BASE_URL: twilio.baseUrl,
    };
    const t = await startTestApp({
      database,
      realTime: true,
      env: { ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" },
    });
    try {
      const phones = await dueLeads(t, 2000, receiver.url);
      const workerEnv = {
        ...database.env,
        ...env,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
        WORKER_POLL_INTERVAL_MS: "200",
      };
      const started = await Promise.all([1, 2, 3].map(() => startProcess(workerEnv, "worker")));
      workers.push(...started);
      await expect.poll(() => twilio.requests.length, { timeout: 120_000, interval: 500 }).toBe(2000);
      await receiver.waitFor(2000, 60_000);
      const perPhone = new Map<string, number>();
      // Sends only: the reconciler's lookups (GET) are not messages.
      for (const req of twilio.requests.filter((r) => r.method === "POST"))
        perPhone.set(req.params.To ?? "", (perPhone.get(req.params.To ?? "") ?? 0) + 1);
      expect(perPhone.size).toBe(2000);
      expect([...perPhone.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(phones)).toEqual(new Set(perPhone.keys()));
      const sentEvents = receiver.received.map(
        (x) => JSON.parse(x.body.toString("utf8")) as { data: { phone: string; followUpStep: number } },
      );
      expect(new Set(sentEvents.map((e) => e.data.phone)).size).toBe(2000);
      expect(sentEvents.every((e) => e.data.followUpStep === 1)).toBe(true);
      expect(await countByStatus(t)).toEqual({ sent: 2000 });
      for (const w of started) w.child.kill("SIGTERM");
      await Promise.all(started.map((w) => w.exited));
    } finally {
      await t.close();
      await twilio.close();
      await receiver.close();
    }
  });

  it("after a worker is killed mid-burst: no lead is texted twice and none is skipped silently", {
    timeout: 180_000,
  }, async () => {
    const database = freshDatabase();
    databases.push(database);
    const twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
    const receiver = await startReceiver();
    const env = {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: "+12025550000",
      TWILIO_API_BASE_URL: twilio.baseUrl,
    };
    const t = await startTestApp({
      database,
      realTime: true,
      env: { ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" },
    });
    try {
      await dueLeads(t, 1000, receiver.url);
      const workerEnv = {
        ...database.env,
        ...env,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
        WORKER_POLL_INTERVAL_MS: "200",
        MESSAGE_CLAIM_LEASE_MS: "3000",
      };
      const [victim, ...others] = await Promise.all([1, 2, 3].map(() => startProcess(workerEnv, "worker")));
      if (victim === undefined) throw new Error("no worker");
      workers.push(victim, ...others);
      await expect.poll(() => twilio.requests.length, { timeout: 60_000, interval: 50 }).toBeGreaterThan(200);
      victim.child.kill("SIGKILL");
      await victim.exited;
      const replacement = await startProcess(workerEnv, "worker");
      workers.push(replacement);
      await expect
        .poll(
          async () => {
            const s = await countByStatus(t);
            return (s.sent ?? 0) + (s.unknown ?? 0);
          },
          { timeout: 120_000, interval: 500 },
        )
        .toBe(1000);
      // Stopped first: a live worker's reconciler may still settle an `unknown` as `sent` between two reads.
      for (const w of [...others, replacement]) w.child.kill("SIGTERM");
      await Promise.all([...others, replacement].map((w) => w.exited));
      const statuses = await countByStatus(t);
      const perPhone = new Map<string, number>();
      // Sends only: the reconciler's lookups (GET) are not messages.
      for (const req of twilio.requests.filter((r) => r.method === "POST"))
        perPhone.set(req.params.To ?? "", (perPhone.get(req.params.To ?? "") ?? 0) + 1);
      // Never twice; every lead was either texted or is listed as unknown for reconciliation.
      expect([...perPhone.values()].every((n) => n === 1)).toBe(true);
      expect(perPhone.size).toBeGreaterThanOrEqual(statuses.sent ?? 0);
      expect(perPhone.size).toBeLessThanOrEqual(1000);
      const listed = await t.app.database.db
        .selectFrom("messages")
        .select("id")
        .where("status", "=", "unknown")
        .execute();
      expect(listed.length).toBe(statuses.unknown ?? 0);
      expect(listed.length).toBeLessThanOrEqual(100);
    } finally {
      await t.close();
      await twilio.close();
      await receiver.close();
    }
  });
});
