import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { type FakeTwilio, startFakeTwilio } from "../../../../test/fakeTwilio.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { orgIdOf } from "../../../../test/webhookFixtures.js";
import { twilioSignature } from "../../../providers/sms/twilioSignature.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { ListDevOutboxResponse } from "../messages/listDevOutbox.js";
import type { UpdateSettingsResponse } from "../settings/updateSettings.js";

const SID = `AC${"d4".repeat(16)}`;
const TOKEN = "org-own-twilio-token";
const NUMBER = "+12025550999";
const PUBLIC_URL = "https://leadwire.example.com";

let t: TestApp;
let twilio: FakeTwilio;
let key: string;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  // No server-wide Twilio account: only the org's own, sealed at rest with SECRETS_KEY.
  t = await startTestApp({
    env: { TWILIO_API_BASE_URL: twilio.baseUrl, PUBLIC_URL, SECRETS_KEY: randomBytes(32).toString("base64") },
  });
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  t.clock.set("2024-01-15T16:00:00.000Z");
});
afterAll(async () => {
  await t.close();
  await twilio.close();
});

describe("an org's own Twilio account", () => {
  it("is stored, never shown back, and refuses the placeholder as a value", async () => {
    const res = await t.patch<UpdateSettingsResponse>(
      "/v1/settings",
      { twilio: { accountSid: SID, authToken: TOKEN }, senders: { sms: { from: NUMBER } } },
      { key },
    );
    expect(res.status).toBe(200);
    expect(res.body.twilio).toEqual({ accountSid: SID, authToken: "[redacted]" });
    expect(res.text).not.toContain(TOKEN);
    const got = await t.request("GET", "/v1/settings", { key });
    expect(got.text).not.toContain(TOKEN);
    // At rest the token is sealed: the database never holds it in the clear.
    const rows = await t.app.database.db.selectFrom("settings").select("data").execute();
    expect(rows.some((r) => r.data.includes('"authToken":"enc:v1:'))).toBe(true);
    expect(rows.some((r) => r.data.includes(TOKEN))).toBe(false);
    const back = await t.patch<ErrorBody>(
      "/v1/settings",
      { twilio: { accountSid: SID, authToken: "[redacted]" } },
      { key },
    );
    expect(back.status).toBe(400);
    expect(back.body.details[0]?.path).toBe("twilio.authToken");
  });

  it("sends with the org's credentials and checks its inbound webhooks with the org's token", async () => {
    const leadId = await createLead(t, key, {
      firstName: "A",
      lastName: "B",
      phone: "+12025550321",
      customerProfile: "P",
      timeZone: "America/New_York",
    });
    await t.request("POST", `/v1/leads/${leadId}/sendMessage`, {
      key,
      body: { message: "from my own number" },
    });
    await t.app.messages.runDue();
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.requests[0]?.auth).toEqual({ username: SID, password: TOKEN });
    expect(twilio.requests[0]?.params).toMatchObject({
      From: NUMBER,
      To: "+12025550321",
      Body: "from my own number",
    });

    const params = {
      MessageSid: "SM00000000000000000000000000000abc",
      From: "+12025550321",
      To: NUMBER,
      Body: "hi back",
    };
    const post = (token: string) =>
      t.app.http.inject({
        method: "POST",
        url: "/inbound/twilio/sms",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilioSignature(`${PUBLIC_URL}/inbound/twilio/sms`, params, token),
        },
        payload: new URLSearchParams(params).toString(),
      });
    expect((await post("some-other-token")).statusCode).toBe(403);
    expect((await post(TOKEN)).statusCode).toBe(200);
    const received = await t.app.database.db
      .selectFrom("events")
      .select("type")
      .where("lead_id", "=", leadId)
      .where("type", "=", "message.received")
      .execute();
    expect(received).toHaveLength(1);
  });

  it("leaves other orgs on the server's setup (here: the dev sink)", async () => {
    const other = await t.newOrg();
    await t.request("POST", "/v1/profiles", { key: other, body: { name: "P" } });
    const lead = await createLead(t, other, {
      firstName: "A",
      lastName: "B",
      phone: "+12025550322",
      customerProfile: "P",
      timeZone: "America/New_York",
    });
    await t.request("POST", `/v1/leads/${lead}/sendMessage`, {
      key: other,
      body: { message: "x" },
    });
    await t.app.messages.runDue();
    expect(twilio.requests).toHaveLength(1);
    const outbox = await t.get<ListDevOutboxResponse>("/v1/dev/outbox", { key: other });
    expect(outbox.body.messages).toHaveLength(1);
  });
  it("still uses a token stored in the clear before SECRETS_KEY was set", async () => {
    const other = await t.newOrg();
    await t.request("POST", "/v1/profiles", { key: other, body: { name: "P" } });
    // Its own number: the first org's is taken (one org per sender).
    const own = await t.request("PATCH", "/v1/settings", {
      key: other,
      body: { senders: { sms: { from: "+12025550998" } } },
    });
    expect(own.status).toBe(200);
    const orgId = await orgIdOf(t, other);
    const row = await t.app.database.db
      .selectFrom("settings")
      .select("data")
      .where("org_id", "=", orgId)
      .executeTakeFirstOrThrow();
    const data = { ...JSON.parse(row.data), twilio: { accountSid: SID, authToken: TOKEN } };
    await t.app.database.db
      .updateTable("settings")
      .set({ data: JSON.stringify(data) })
      .where("org_id", "=", orgId)
      .execute();
    const lead = await createLead(t, other, {
      firstName: "A",
      lastName: "B",
      phone: "+12025550323",
      customerProfile: "P",
      timeZone: "America/New_York",
    });
    await t.request("POST", `/v1/leads/${lead}/sendMessage`, {
      key: other,
      body: { message: "legacy token" },
    });
    const before = twilio.requests.length;
    await t.app.messages.runDue();
    expect(twilio.requests.slice(before).map((r) => r.auth)).toEqual([{ username: SID, password: TOKEN }]);
  });
});
