import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { insertEndpoint, orgIdOf } from "../../../../test/webhookFixtures.js";

let t: TestApp;
let r: Receiver;
let key: string;
let orgId: string;
let phone = 100;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  r = await startReceiver();
  key = await t.newOrg();
  orgId = await orgIdOf(t, key);
  await insertEndpoint(t, orgId, r.url, { events: ["message.sent"] });
  await t.request("POST", "/v1/profiles", { key, body: { name: "Default Profile", emailEnabled: true } });
});
afterAll(async () => {
  await r.close();
  await t.close();
});

async function newLead(extra: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const res = await t.request("POST", "/v1/leads/create", {
    key,
    body: {
      firstName: "Zoë",
      lastName: "Ångström",
      phone: p,
      customerProfile: "Default Profile",
      timeZone: "America/New_York",
      ...extra,
    },
  });
  expect(res.status).toBe(200);
  return { id: (res.body as { id: string }).id, phone: p };
}

const send = (leadId: string, body: Record<string, unknown>) =>
  t.request("POST", `/v1/leads/${leadId}/sendMessage`, { key, body });

async function deliverAll(): Promise<void> {
  await t.app.messages.runDue();
  await t.app.webhooks.runDue();
}

async function messageRow(id: string) {
  return t.app.database.db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("POST /v1/leads/{leadId}/sendMessage", () => {
  it("sends an SMS through the dev sink and announces message.sent exactly", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z"); // Monday 09:30 in New York: inside the window
    const lead = await newLead({ externalLeadId: "003XX000004DHPY" });
    const before = r.received.length;
    const res = await send(lead.id, { message: "Hi Zoë 👋 — ready to talk? 東京" });
    expect(res.status).toBe(200);
    const body = res.body as { message: string; messageId: string; scheduledFor: string };
    expect(body).toMatchObject({
      message: "Message sent successfully.",
      scheduledFor: "2024-01-15T14:30:00.000Z",
    });
    await deliverAll();

    expect(await messageRow(body.messageId)).toMatchObject({
      status: "sent",
      provider: "dev-sink",
      segments: 1,
      encoding: "UCS-2",
    });
    const outbox = await t.request("GET", "/v1/dev/outbox", { key });
    expect((outbox.body as { messages: unknown[] }).messages[0]).toMatchObject({
      messageId: body.messageId,
      channel: "sms",
      to: lead.phone,
      body: "Hi Zoë 👋 — ready to talk? 東京",
    });
    expect(r.received.length).toBe(before + 1);
    expect(r.received.at(-1)?.body.toString("utf8")).toBe(
      `{"event":"message.sent","data":{"leadId":"${lead.id}","externalLeadId":"003XX000004DHPY","phone":"${lead.phone}",` +
        `"channel":"sms","profile":"Default Profile","isFollowUp":false,"followUpStep":null,` +
        `"content":{"text":"Hi Zoë 👋 — ready to talk? 東京"}},"timestamp":"2024-01-15T14:30:00Z"}`,
    );
    const timeline = await t.request(
      "GET",
      `/v1/leads/${lead.id}/events?since=2024-01-01T00:00:00Z&types=MESSAGE`,
      { key },
    );
    expect((timeline.body as { events: { data: unknown }[] }).events[0]?.data).toMatchObject({
      direction: "OUTBOUND",
      content: { text: "Hi Zoë 👋 — ready to talk? 東京" },
      isAiGenerated: false,
      deliveryChannel: "SMS",
      status: "sent",
    });
    const got = await t.request("GET", `/v1/leads/${lead.id}`, { key });
    expect((got.body as { lastActivityAt: string }).lastActivityAt).toBe("2024-01-15T14:30:00.000Z");
  });

  it("sends an email with its subject; message.sent carries content.subject before text", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const lead = await newLead({ email: "zoe@example.com" });
    const res = await send(lead.id, {
      message: "Votre visite",
      channel: "email",
      subject: "Suivi: votre intérêt 🚀",
    });
    expect(res.status).toBe(200);
    await deliverAll();
    expect(r.received.at(-1)?.body.toString("utf8")).toBe(
      `{"event":"message.sent","data":{"leadId":"${lead.id}","phone":"${lead.phone}","channel":"email","profile":"Default Profile",` +
        `"isFollowUp":false,"followUpStep":null,"content":{"subject":"Suivi: votre intérêt 🚀","text":"Votre visite"}},` +
        `"timestamp":"2024-01-15T14:30:00Z"}`,
    );
    const outbox = await t.request("GET", "/v1/dev/outbox?limit=1", { key });
    const sent = (outbox.body as { messages: { headers: Record<string, string>; body: string }[] })
      .messages[0];
    expect(sent?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(sent?.headers["List-Unsubscribe"]).toMatch(
      /^<http:\/\/localhost:0\/unsubscribe\/[A-Za-z0-9_-]{32}>$/,
    );
    expect(sent?.body).toContain("Unsubscribe: http://localhost:0/unsubscribe/");
  });

  it("waits for the next business-hours opening in the lead's zone unless overridden", async () => {
    t.clock.set("2024-01-20T15:00:00.000Z"); // Saturday 10:00 in New York
    const lead = await newLead();
    const waiting = await send(lead.id, { message: "weekend" });
    expect((waiting.body as { scheduledFor: string }).scheduledFor).toBe("2024-01-22T14:00:00.000Z"); // Monday 09:00
    const now = await send(lead.id, { message: "urgent", overrideBusinessHours: true });
    expect((now.body as { scheduledFor: string }).scheduledFor).toBe("2024-01-20T15:00:00.000Z");
    await deliverAll();
    expect((await messageRow((waiting.body as { messageId: string }).messageId)).status).toBe("queued");
    expect((await messageRow((now.body as { messageId: string }).messageId)).status).toBe("sent");
    t.clock.set("2024-01-22T14:00:00.000Z");
    await deliverAll();
    expect((await messageRow((waiting.body as { messageId: string }).messageId)).status).toBe("sent");
  });

  it("honours an explicit scheduledTime as given", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const lead = await newLead();
    const res = await send(lead.id, { message: "later", scheduledTime: "2024-01-16T03:00:00Z" });
    expect((res.body as { scheduledFor: string }).scheduledFor).toBe("2024-01-16T03:00:00.000Z");
  });

  it("blocks an opted-out, do-not-contact or AI-off lead with a COMPLIANCE_BLOCKED entry and no message.sent", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const lead = await newLead();
    await t.request("PATCH", `/v1/leads/${lead.id}`, { key, body: { isAiOn: false } });
    const before = r.received.length;
    const off = await send(lead.id, { message: "blocked: ai off" });
    await deliverAll();
    const offRow = await messageRow((off.body as { messageId: string }).messageId);
    expect(offRow).toMatchObject({ status: "blocked" });
    expect(offRow.blocked_reason).toMatch(/isAiOn/);
    const allowed = await send(lead.id, { message: "sent anyway", sendWhenOff: true });
    await deliverAll();
    expect((await messageRow((allowed.body as { messageId: string }).messageId)).status).toBe("sent");

    await t.request("POST", "/v1/dnc/register", { key, body: { phone: lead.phone } });
    const dnc = await send(lead.id, { message: "blocked: dnc", sendWhenOff: true });
    await deliverAll();
    expect((await messageRow((dnc.body as { messageId: string }).messageId)).blocked_reason).toMatch(
      /do-not-contact/,
    );
    expect(r.received.length).toBe(before + 1);
    const timeline = await t.request(
      "GET",
      `/v1/leads/${lead.id}/events?since=2024-01-01T00:00:00Z&types=COMPLIANCE_BLOCKED`,
      {
        key,
      },
    );
    expect(
      (timeline.body as { events: { data: { reason: string } }[] }).events.map((e) => e.data.reason),
    ).toEqual([expect.stringMatching(/isAiOn/), expect.stringMatching(/do-not-contact/)]);
  });

  it.each([
    ["message", { message: "" }],
    ["message", { message: "x".repeat(1601) }],
    ["subject", { message: "hi", channel: "email" }],
    ["channel", { message: "hi", channel: "fax" }],
    ["scheduledTime", { message: "hi", scheduledTime: "tomorrow" }],
    ["priority", { message: "hi", priority: "high" }],
  ])("answers 400 naming %s and queues nothing", async (path, body) => {
    const lead = await newLead({ email: "a@example.com" });
    const res = await send(lead.id, body);
    expect(res.status).toBe(400);
    expect((res.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain(path);
    const rows = await t.app.database.db
      .selectFrom("messages")
      .select("id")
      .where("lead_id", "=", lead.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("refuses email to a lead without an address, and answers 404 for another org's lead", async () => {
    const lead = await newLead();
    const res = await send(lead.id, { message: "hi", channel: "email", subject: "s" });
    expect(res.status).toBe(400);
    expect((res.body as { details: { path: string }[] }).details[0]?.path).toBe("channel");
    const other = await t.newOrg();
    const foreign = await t.request("POST", `/v1/leads/${lead.id}/sendMessage`, {
      key: other,
      body: { message: "hi" },
    });
    expect(foreign.status).toBe(404);
  });
});

describe("GET /v1/inbound-addresses", () => {
  it("gives the org's inbound URLs, with a token unique to the org", async () => {
    const res = await t.request("GET", "/v1/inbound-addresses", { key });
    expect(res.status).toBe(200);
    const body = res.body as Record<string, string>;
    expect(body.twilioSms).toBe("http://localhost:0/inbound/twilio/sms");
    expect(body.email).toMatch(/^http:\/\/localhost:0\/inbound\/email\/[A-Za-z0-9_-]{32}$/);
    expect(body.emailEvents).toBe(`${body.email}/events`);
    const other = await t.request("GET", "/v1/inbound-addresses", { key: await t.newOrg() });
    expect((other.body as Record<string, string>).email).not.toBe(body.email);
  });
});

describe("quiet hours for a lead without a time zone", () => {
  it("uses the US-wide window for +1 numbers and the org's zone for others", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z"); // 09:30 New York: inside the window, before 14:00 Eastern
    const us = await t.request("POST", "/v1/leads/create", {
      key,
      body: { firstName: "A", lastName: "B", phone: "+12025559001", customerProfile: "Default Profile" },
    });
    const usSend = await send((us.body as { id: string }).id, { message: "hi" });
    expect((usSend.body as { scheduledFor: string }).scheduledFor).toBe("2024-01-15T19:00:00.000Z"); // 14:00 Eastern
    const uk = await t.request("POST", "/v1/leads/create", {
      key,
      body: { firstName: "A", lastName: "B", phone: "+442079460958", customerProfile: "Default Profile" },
    });
    const ukSend = await send((uk.body as { id: string }).id, { message: "hi" });
    expect((ukSend.body as { scheduledFor: string }).scheduledFor).toBe("2024-01-15T14:30:00.000Z");
  });
});
