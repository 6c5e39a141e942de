import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTwilio, startFakeTwilio } from "../../../test/fakeTwilio.js";
import { ADMIN_KEY, freshDatabase, startTestApp, type TestApp, testBackend } from "../../../test/harness.js";
import { messageSid, postSignedTwilio } from "../../../test/twilioWebhooks.js";
import { orgIdOf } from "../../../test/webhookFixtures.js";

const SID = `AC${"f6".repeat(16)}`;
const TOKEN = "server-sender-token";
const SERVICE = `MG${"6f".repeat(16)}`;
const PUBLIC_URL = "https://leadwire.example.com";

let twilio: FakeTwilio;
const databases: ReturnType<typeof freshDatabase>[] = [];
beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
});
afterAll(async () => {
  await twilio.close();
  for (const d of databases) await d.drop();
});

function serverEnv(from: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM: from,
    TWILIO_API_BASE_URL: twilio.baseUrl,
    PUBLIC_URL,
    ...extra,
  };
}

function sharedDatabase() {
  const database = freshDatabase();
  databases.push(database);
  return database;
}

async function senders(t: TestApp) {
  return t.app.database.db
    .selectFrom("sms_senders")
    .select(["sender", "org_id", "origin"])
    .orderBy("sender")
    .execute();
}

async function withLead(t: TestApp, key: string, phone: string): Promise<string> {
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  const res = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "A", lastName: "B", phone, customerProfile: "P", timeZone: "America/New_York" },
  });
  return (res.body as { id: string }).id;
}

describe("the server's own Twilio sender", () => {
  it("belongs to the default org from the first start; several starts at once agree", async () => {
    const database = sharedDatabase();
    const env = serverEnv("+1 (202) 555-0150", { TWILIO_MESSAGING_SERVICE_SID: SERVICE });
    const start = () => startTestApp({ database, env });
    // In one process, SQLite connections waiting on each other's lock would block the event loop
    // that has to release it; PostgreSQL starts really race.
    const apps =
      testBackend() === "postgres"
        ? await Promise.all([start(), start(), start()])
        : [await start(), await start(), await start()];
    try {
      const first = apps[0] as TestApp;
      const defaultOrg = await orgIdOf(first, ADMIN_KEY);
      // TWILIO_FROM is owned in E.164, the form Twilio's `To` has.
      expect(await senders(first)).toEqual([
        { sender: "+12025550150", org_id: defaultOrg, origin: "server" },
        { sender: SERVICE, org_id: defaultOrg, origin: "server" },
      ]);
      const other = await first.newOrg();
      const res = await first.request("PATCH", "/v1/settings", {
        key: other,
        body: { senders: { sms: { messagingServiceSid: SERVICE } } },
      });
      expect(res.status).toBe(409);
    } finally {
      for (const app of apps) await app.close();
    }
  });

  it("TWILIO_SENDER_ORG gives it to another org: its texts route there, and the default org may not send from it", async () => {
    const database = sharedDatabase();
    const number = "+12025550151";
    const before = await startTestApp({ database, env: serverEnv(number) });
    const key = await before.newOrg();
    const orgId = await orgIdOf(before, key);
    await before.close();

    const t = await startTestApp({ database, env: serverEnv(number, { TWILIO_SENDER_ORG: orgId }) });
    try {
      t.clock.set("2024-01-15T16:00:00.000Z");
      expect(await senders(t)).toEqual([{ sender: number, org_id: orgId, origin: "server" }]);
      const phone = "+12025550777";
      const leadId = await withLead(t, key, phone);
      const defaultLead = await withLead(t, ADMIN_KEY, phone);
      const params = { MessageSid: messageSid(), AccountSid: SID, From: phone, To: number, Body: "STOP" };
      expect((await postSignedTwilio(t, PUBLIC_URL, "/inbound/twilio/sms", params, TOKEN)).status).toBe(200);
      const lead = async (k: string, id: string) =>
        (await t.request("GET", `/v1/leads/${id}`, { key: k })).body as { isUnsubscribed: boolean };
      expect((await lead(key, leadId)).isUnsubscribed).toBe(true);
      expect((await lead(ADMIN_KEY, defaultLead)).isUnsubscribed).toBe(false);

      const sent = await t.request("POST", `/v1/leads/${defaultLead}/sendMessage`, {
        key: ADMIN_KEY,
        body: { message: "from whose number?" },
      });
      await t.app.messages.runDue();
      const message = await t.app.database.db
        .selectFrom("messages")
        .select("status")
        .where("id", "=", (sent.body as { messageId: string }).messageId)
        .executeTakeFirstOrThrow();
      expect(message.status).toBe("blocked");
    } finally {
      await t.close();
    }
  });

  it("wins over an org's settings claim of the same number, frees the number it no longer uses, and refuses an unknown TWILIO_SENDER_ORG", async () => {
    const database = sharedDatabase();
    const before = await startTestApp({ database, env: serverEnv("+12025550152") });
    const key = await before.newOrg();
    const claimed = await before.request("PATCH", "/v1/settings", {
      key,
      body: { senders: { sms: { from: "+12025550153" } } },
    });
    expect(claimed.status).toBe(200);
    await before.close();

    // The operator moves the server to the number that org had named.
    const t = await startTestApp({ database, env: serverEnv("+12025550153") });
    try {
      const defaultOrg = await orgIdOf(t, ADMIN_KEY);
      expect(await senders(t)).toEqual([{ sender: "+12025550153", org_id: defaultOrg, origin: "server" }]);
      // That org can still change its other settings (its SMS is blocked until it names its own).
      const other = await t.request("PATCH", "/v1/settings", { key, body: { assistantName: "Still me" } });
      expect(other.status).toBe(200);
      const freed = await t.request("PATCH", "/v1/settings", {
        key,
        body: { senders: { sms: { from: "+12025550152" } } },
      });
      expect(freed.status).toBe(200);
    } finally {
      await t.close();
    }
    await expect(
      startTestApp({
        database,
        env: serverEnv("+12025550153", { TWILIO_SENDER_ORG: `org_${"0".repeat(32)}` }),
      }),
    ).rejects.toThrow(/TWILIO_SENDER_ORG/);
  });
});
