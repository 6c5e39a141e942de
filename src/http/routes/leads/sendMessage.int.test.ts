import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { insertEndpoint, orgIdOf } from "../../../../test/webhookFixtures.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { GetInboundAddressesResponse } from "../messages/getInboundAddresses.js";
import type { ListDevOutboxResponse } from "../messages/listDevOutbox.js";
import type { GetLeadResponse } from "./getLead.js";
import type { ListLeadTimelineResponse } from "./listLeadTimeline.js";
import type { SendMessageResponse } from "./sendMessage.js";

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
  await t.post("/v1/profiles", { name: "Default Profile", emailEnabled: true }, { key });
});
afterAll(async () => {
  await r.close();
  await t.close();
});

async function newLead(extra: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const id = await createLead(t, key, {
    firstName: "Zoë",
    lastName: "Ångström",
    phone: p,
    customerProfile: "Default Profile",
    timeZone: "America/New_York",
    ...extra,
  });
  return { id, phone: p };
}

const send = <TRes = SendMessageResponse>(leadId: string, body: Record<string, unknown>) =>
  t.post<TRes>(`/v1/leads/${leadId}/sendMessage`, body, { key });

/** The lead's timeline entries of `types` since the start of 2024. */
async function timelineOf(leadId: string, types: string) {
  const res = await t.get<ListLeadTimelineResponse>(
    `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z&types=${types}`,
    { key },
  );
  return res.body.events;
}

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
    const body = res.body;
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
    const outbox = await t.get<ListDevOutboxResponse>("/v1/dev/outbox", { key });
    expect(outbox.body.messages[0]).toMatchObject({
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
    const timeline = await timelineOf(lead.id, "MESSAGE");
    expect(timeline[0]?.data).toMatchObject({
      direction: "OUTBOUND",
      content: { text: "Hi Zoë 👋 — ready to talk? 東京" },
      isAiGenerated: false,
      deliveryChannel: "SMS",
      status: "sent",
    });
    const got = await t.get<GetLeadResponse>(`/v1/leads/${lead.id}`, { key });
    expect(got.body.lastActivityAt).toBe("2024-01-15T14:30:00.000Z");
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
    const outbox = await t.get<ListDevOutboxResponse>("/v1/dev/outbox?limit=1", { key });
    const sent = outbox.body.messages[0];
    expect(sent?.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(sent?.headers?.["List-Unsubscribe"]).toMatch(
      /^<http:\/\/localhost:0\/unsubscribe\/[A-Za-z0-9_-]{32}>$/,
    );
    expect(sent?.body).toContain("Unsubscribe: http://localhost:0/unsubscribe/");
  });

  it("waits for the next business-hours opening in the lead's zone unless overridden", async () => {
    t.clock.set("2024-01-20T15:00:00.000Z"); // Saturday 10:00 in New York
    const lead = await newLead();
    const waiting = await send(lead.id, { message: "weekend" });
    expect(waiting.body.scheduledFor).toBe("2024-01-22T14:00:00.000Z"); // Monday 09:00
    const now = await send(lead.id, { message: "urgent", overrideBusinessHours: true });
    expect(now.body.scheduledFor).toBe("2024-01-20T15:00:00.000Z");
    await deliverAll();
    expect((await messageRow(waiting.body.messageId)).status).toBe("queued");
    expect((await messageRow(now.body.messageId)).status).toBe("sent");
    t.clock.set("2024-01-22T14:00:00.000Z");
    await deliverAll();
    expect((await messageRow(waiting.body.messageId)).status).toBe("sent");
  });

  it("honours an explicit scheduledTime as given", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const lead = await newLead();
    const res = await send(lead.id, { message: "later", scheduledTime: "2024-01-16T03:00:00Z" });
    expect(res.body.scheduledFor).toBe("2024-01-16T03:00:00.000Z");
  });

  it("blocks an opted-out, do-not-contact or AI-off lead with a COMPLIANCE_BLOCKED entry and no message.sent", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const lead = await newLead();
    await t.patch(`/v1/leads/${lead.id}`, { isAiOn: false }, { key });
    const before = r.received.length;
    const off = await send(lead.id, { message: "blocked: ai off" });
    await deliverAll();
    const offRow = await messageRow(off.body.messageId);
    expect(offRow).toMatchObject({ status: "blocked" });
    expect(offRow.blocked_reason).toMatch(/isAiOn/);
    const allowed = await send(lead.id, { message: "sent anyway", sendWhenOff: true });
    await deliverAll();
    expect((await messageRow(allowed.body.messageId)).status).toBe("sent");

    await t.post("/v1/dnc/register", { phone: lead.phone }, { key });
    const dnc = await send(lead.id, { message: "blocked: dnc", sendWhenOff: true });
    await deliverAll();
    expect((await messageRow(dnc.body.messageId)).blocked_reason).toMatch(/do-not-contact/);
    expect(r.received.length).toBe(before + 1);
    const timeline = await timelineOf(lead.id, "COMPLIANCE_BLOCKED");
    const reasonOf = (data: unknown) => z.object({ reason: z.string() }).parse(data).reason;
    expect(timeline.map((e) => reasonOf(e.data))).toEqual([
      expect.stringMatching(/isAiOn/),
      expect.stringMatching(/do-not-contact/),
    ]);
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
    const res = await send<ErrorBody>(lead.id, body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
    const rows = await t.app.database.db
      .selectFrom("messages")
      .select("id")
      .where("lead_id", "=", lead.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("refuses email to a lead without an address, and answers 404 for another org's lead", async () => {
    const lead = await newLead();
    const res = await send<ErrorBody>(lead.id, { message: "hi", channel: "email", subject: "s" });
    expect(res.status).toBe(400);
    expect(res.body.details[0]?.path).toBe("channel");
    const other = await t.newOrg();
    const foreign = await t.post(`/v1/leads/${lead.id}/sendMessage`, { message: "hi" }, { key: other });
    expect(foreign.status).toBe(404);
  });
});

describe("GET /v1/inbound-addresses", () => {
  it("gives the org's inbound URLs, with a token unique to the org", async () => {
    const res = await t.get<GetInboundAddressesResponse>("/v1/inbound-addresses", { key });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.twilioSms).toBe("http://localhost:0/inbound/twilio/sms");
    expect(body.email).toMatch(/^http:\/\/localhost:0\/inbound\/email\/[A-Za-z0-9_-]{32}$/);
    expect(body.emailEvents).toBe(`${body.email}/events`);
    const other = await t.get<GetInboundAddressesResponse>("/v1/inbound-addresses", {
      key: await t.newOrg(),
    });
    expect(other.body.email).not.toBe(body.email);
  });
});

describe("quiet hours for a lead without a time zone", () => {
  it("uses the US-wide window for +1 numbers and the org's zone for others", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z"); // 09:30 New York: inside the window, before 14:00 Eastern
    const noZone = { firstName: "A", lastName: "B", customerProfile: "Default Profile" };
    const us = await createLead(t, key, { ...noZone, phone: "+12025559001" });
    const usSend = await send(us, { message: "hi" });
    expect(usSend.body.scheduledFor).toBe("2024-01-15T19:00:00.000Z"); // 14:00 Eastern
    const uk = await createLead(t, key, { ...noZone, phone: "+442079460958" });
    const ukSend = await send(uk, { message: "hi" });
    expect(ukSend.body.scheduledFor).toBe("2024-01-15T14:30:00.000Z");
  });
});
