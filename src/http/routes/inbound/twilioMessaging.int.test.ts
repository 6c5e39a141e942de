import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLead } from "../../../../test/apiFixtures.js";
import { parseEnvelope } from "../../../../test/envelopes.js";
import { type FakeTwilio, startFakeTwilio, twilioError } from "../../../../test/fakeTwilio.js";
import { ADMIN_KEY, startTestApp, type TestApp } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { insertEndpoint, orgIdOf } from "../../../../test/webhookFixtures.js";
import { twilioSignature } from "../../../providers/sms/twilioSignature.js";
import type { ListLeadTimelineResponse } from "../leads/listLeadTimeline.js";
import type { SendMessageResponse } from "../leads/sendMessage.js";
import type { ListMessagesResponse } from "../messages/listMessages.js";

const SID = `AC${"a1".repeat(16)}`;
const TOKEN = "twilio-auth-token-for-tests";
const FROM = "+12025550000";
const PUBLIC_URL = "https://leadwire.example.com";

let t: TestApp;
let twilio: FakeTwilio;
let r: Receiver;
let key: string;
let phone = 300;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  r = await startReceiver();
  t = await startTestApp({
    env: {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_URL,
    },
  });
  // The default org (the bootstrap key's) owns the server's TWILIO_FROM; see inboundRouting tests.
  key = ADMIN_KEY;
  await insertEndpoint(t, await orgIdOf(t, key), r.url);
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  t.clock.set("2024-01-15T14:30:00.000Z");
});
afterAll(async () => {
  await t.close();
  await twilio.close();
  await r.close();
});

async function newLead(): Promise<{ id: string; phone: string }> {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const body = {
    firstName: "Ada",
    lastName: "L",
    phone: p,
    customerProfile: "P",
    timeZone: "America/New_York",
  };
  return { id: await createLead(t, key, body), phone: p };
}

/** POSTs a form to one of our Twilio webhooks, signed the way Twilio signs (or not). */
async function twilioPost(path: string, params: Record<string, string>, signature?: string) {
  const sig = signature ?? twilioSignature(`${PUBLIC_URL}${path}`, params, TOKEN);
  return t.app.http.inject({
    method: "POST",
    url: path,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig },
    payload: new URLSearchParams(params).toString(),
  });
}

let sidCounter = 0;
const inbound = (from: string, body: string, extra: Record<string, string> = {}) =>
  twilioPost("/inbound/twilio/sms", {
    MessageSid: `SM${String(++sidCounter).padStart(32, "0")}`,
    AccountSid: SID,
    From: from,
    To: FROM,
    Body: body,
    ...extra,
  });

async function send(leadId: string, message: string) {
  const res = await t.post<SendMessageResponse>(`/v1/leads/${leadId}/sendMessage`, { message }, { key });
  expect(res.status).toBe(200);
  await t.app.messages.runDue();
  await t.app.webhooks.runDue();
  return res.body.messageId;
}

const eventsOf = async (leadId: string, type: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("lead_id", "=", leadId)
      .where("type", "=", type)
      .execute()
  ).map((e) => parseEnvelope(e.body));

const status = async (id: string) =>
  (
    await t.app.database.db
      .selectFrom("messages")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).status;

describe("SMS through the Twilio REST API", () => {
  it("sends with basic auth and the form fields Twilio expects, then follows status callbacks", async () => {
    const lead = await newLead();
    const before = twilio.requests.length;
    const id = await send(lead.id, "Hello from Leadwire");
    const req = twilio.requests[before];
    expect(req?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req?.auth).toEqual({ username: SID, password: TOKEN });
    expect(req?.params).toEqual({
      To: lead.phone,
      From: FROM,
      Body: "Hello from Leadwire",
      StatusCallback: `${PUBLIC_URL}/inbound/twilio/status`,
    });
    expect(await status(id)).toBe("sent");
    const row = await t.app.database.db
      .selectFrom("messages")
      .select("provider_message_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const sid = row.provider_message_id ?? "";
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);

    expect(
      (await twilioPost("/inbound/twilio/status", { MessageSid: sid, MessageStatus: "delivered" }))
        .statusCode,
    ).toBe(204);
    expect(await status(id)).toBe("delivered");
    // Late and repeated callbacks change nothing.
    await twilioPost("/inbound/twilio/status", { MessageSid: sid, MessageStatus: "sent" });
    await twilioPost("/inbound/twilio/status", { MessageSid: sid, MessageStatus: "delivered" });
    expect(await status(id)).toBe("delivered");
    const timeline = await t.get<ListLeadTimelineResponse>(
      `/v1/leads/${lead.id}/events?since=2024-01-01T00:00:00Z&types=MESSAGE`,
      { key },
    );
    const statusOf = (data: unknown) => z.object({ status: z.string() }).parse(data).status;
    expect(statusOf(timeline.body.events[0]?.data)).toBe("delivered");
  });

  it("treats Twilio error 21610 as an opt-out (isTwilioOptOut) and fails the message", async () => {
    const lead = await newLead();
    twilio.respondWith(() => twilioError(400, 21610, "Attempt to send to unsubscribed recipient"));
    const id = await send(lead.id, "are you there?");
    twilio.respondWith(undefined);
    expect(await status(id)).toBe("failed");
    const [optOut] = await eventsOf(lead.id, "optOut");
    expect(optOut?.data).toEqual({
      leadId: lead.id,
      phone: lead.phone,
      channel: "sms",
      optOutReason: null,
      isTwilioOptOut: true,
      isDoNotContact: false,
    });
    expect(await eventsOf(lead.id, "message.sent")).toEqual([]);
  });

  it("leaves a message `unknown` when Twilio may have taken it, and never resends it", async () => {
    const lead = await newLead();
    twilio.respondWith(() => ({ destroySocket: true }));
    const before = twilio.requests.length;
    const id = await send(lead.id, "did it arrive?");
    twilio.respondWith(undefined);
    expect(await status(id)).toBe("unknown");
    await t.app.messages.runDue();
    expect(twilio.requests.length).toBe(before + 1);
    const listed = await t.get<ListMessagesResponse>("/v1/messages?status=unknown", { key });
    expect(listed.body.messages.map((m) => m.id)).toContain(id);
  });
});

describe("inbound SMS", () => {
  it("refuses a wrong or missing signature with 403 and changes nothing", async () => {
    const lead = await newLead();
    const params = { MessageSid: "SMbad", From: lead.phone, To: FROM, Body: "hello" };
    expect((await twilioPost("/inbound/twilio/sms", params, "bm9wZQ==")).statusCode).toBe(403);
    const unsigned = await t.app.http.inject({
      method: "POST",
      url: "/inbound/twilio/sms",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams(params).toString(),
    });
    expect(unsigned.statusCode).toBe(403);
    expect(await eventsOf(lead.id, "message.received")).toEqual([]);
  });

  it("records a reply: message.received, hasReplied once with leadTagged, empty TwiML", async () => {
    const lead = await newLead();
    const res = await inbound(lead.phone, "Yes, I'm interested! 😀");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/xml");
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    await inbound(lead.phone, "Call me tomorrow");
    const received = await eventsOf(lead.id, "message.received");
    expect(received.map((e) => e.data)).toEqual([
      {
        leadId: lead.id,
        phone: lead.phone,
        channel: "sms",
        profile: "P",
        content: { text: "Yes, I'm interested! 😀" },
      },
      {
        leadId: lead.id,
        phone: lead.phone,
        channel: "sms",
        profile: "P",
        content: { text: "Call me tomorrow" },
      },
    ]);
    expect((await eventsOf(lead.id, "leadTagged")).map((e) => e.data)).toEqual([
      { leadId: lead.id, phone: lead.phone, channel: "sms", tag: "hasReplied" },
    ]);
    const got = await t.request("GET", `/v1/leads/${lead.id}`, { key });
    expect(got.body).toMatchObject({ hasReplied: true, tags: [{ name: "hasReplied" }] });
  });

  it("acts on a provider retry of the same MessageSid once", async () => {
    const lead = await newLead();
    const params = {
      MessageSid: "SM0000000000000000000000000000dup1",
      From: lead.phone,
      To: FROM,
      Body: "twice?",
    };
    await twilioPost("/inbound/twilio/sms", params);
    await twilioPost("/inbound/twilio/sms", params);
    expect(await eventsOf(lead.id, "message.received")).toHaveLength(1);
  });

  it.each([
    ["STOP", "stop"],
    [" stop ", "stop"],
    ["Stop", "stop"],
    ["STOPALL", "stop"],
    ["stop please", null],
  ])("keyword %j → %s", async (text, expected) => {
    const lead = await newLead();
    await inbound(lead.phone, text);
    const optOuts = await eventsOf(lead.id, "optOut");
    if (expected === "stop") {
      expect(optOuts.map((e) => e.data)).toEqual([
        {
          leadId: lead.id,
          phone: lead.phone,
          channel: "sms",
          optOutReason: null,
          isTwilioOptOut: true,
          optOutMessage: text,
          isDoNotContact: false,
        },
      ]);
    } else {
      expect(optOuts).toEqual([]);
    }
  });

  it("STOP then send is blocked; START then send is sent; HELP gets the help reply", async () => {
    const lead = await newLead();
    await inbound(lead.phone, "STOP");
    const blocked = await send(lead.id, "after stop");
    expect(await status(blocked)).toBe("blocked");
    await inbound(lead.phone, "START");
    const sent = await send(lead.id, "after start");
    expect(await status(sent)).toBe("sent");
    const before = twilio.requests.length;
    await inbound(lead.phone, "HELP");
    await t.app.messages.runDue();
    expect(twilio.requests[before]?.params.Body).toBe("Reply STOP to unsubscribe. Msg&data rates may apply.");
  });

  it("honours Twilio's OptOutType=STOP even when the text is not a keyword", async () => {
    const lead = await newLead();
    await inbound(lead.phone, "arrête", { OptOutType: "STOP" });
    expect((await eventsOf(lead.id, "optOut")).length).toBe(1);
  });
});
