import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twilioSignature } from "../../src/providers/sms/twilioSignature.js";
import { type FakeTwilio, startFakeTwilio } from "../fakeTwilio.js";
import { ADMIN_KEY, startTestApp, type TestApp } from "../harness.js";
import { startSmtpServer, type TestSmtpServer } from "../smtpServer.js";

// The whole loop with no model configured: a profile with a description and two follow-up steps
// and no templates, a lead, the assistant's initial message, the steps, replies to a question and
// a request for a call, and a request to stop; every decision on the timeline.

const SID = `AC${"b2".repeat(16)}`;
const TOKEN = "twilio-auth-token-for-assistant-tests";
const FROM = "+12025550000";
const PUBLIC_URL = "https://leadwire.example.com";
const BOOKING = "https://cal.example.com/sunny/intro";

let t: TestApp;
let twilio: FakeTwilio;
let smtp: TestSmtpServer;
const key = ADMIN_KEY;

interface Lead {
  id: string;
  phone: string;
}

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  smtp = await startSmtpServer();
  t = await startTestApp({
    env: {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      SMTP_URL: smtp.url,
      EMAIL_FROM: "Sunny Solar <hello@sunny.test>",
      PUBLIC_URL,
    },
  });
  // Monday 09:30 in New York: inside the default follow-up window.
  t.clock.set("2024-01-15T14:30:00.000Z");
  expect(
    (await t.request("PATCH", "/v1/settings", { key, body: { notificationEmails: ["sales@sunny.test"] } }))
      .status,
  ).toBe(200);
  const profile = await t.request("POST", "/v1/profiles", {
    key,
    body: {
      name: "Solar",
      description: "Sunny Solar installs rooftop solar panels for homeowners in Austin.",
      instructions: "Friendly and brief. When are you hoping to install?",
      bookingUrl: BOOKING,
      extract: ["budget"],
      initialOutreach: true,
      followUpConfig: { "1": { hours: 24, channel: "text" }, "2": { hours: 48, channel: "text" } },
    },
  });
  expect(profile.status).toBe(201);
  expect(
    (
      await t.request("POST", "/v1/tags", {
        key,
        body: { name: "pricing", condition: "price, cost, how much" },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await t.request("POST", "/v1/notifications", {
        key,
        body: { name: "Wants a call", condition: "intent:booking, call me" },
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => {
  await t.close();
  await twilio.close();
  await smtp.close();
});

/** Everything the workers would do now, until nothing is left. */
async function settle(): Promise<void> {
  for (;;) {
    const n =
      (await t.app.followUps.runDue()) + (await t.app.assistant.runDue()) + (await t.app.messages.runDue());
    if (n === 0) return;
  }
}

async function newLead(firstName: string, phone: string): Promise<Lead> {
  const res = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName, lastName: "Rivera", phone, customerProfile: "Solar", timeZone: "America/New_York" },
  });
  expect(res.status).toBe(200);
  return { id: (res.body as { id: string }).id, phone };
}

let sids = 0;
async function inbound(from: string, body: string): Promise<void> {
  const params = {
    MessageSid: `SM${String(++sids).padStart(32, "7")}`,
    AccountSid: SID,
    From: from,
    To: FROM,
    Body: body,
  };
  const path = "/inbound/twilio/sms";
  const res = await t.app.http.inject({
    method: "POST",
    url: path,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilioSignature(`${PUBLIC_URL}${path}`, params, TOKEN),
    },
    payload: new URLSearchParams(params).toString(),
  });
  expect(res.statusCode).toBe(200);
}

const textsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).map((m) => m.body);

async function eventsOf(leadId: string, type: string): Promise<{ data: Record<string, unknown> }[]> {
  const rows = await t.app.database.db
    .selectFrom("events")
    .select("body")
    .where("lead_id", "=", leadId)
    .where("type", "=", type)
    .orderBy("seq")
    .execute();
  return rows.map((row) => JSON.parse(row.body));
}

interface Entry {
  type: string;
  data: Record<string, unknown>;
}
async function toolCalls(leadId: string): Promise<Record<string, unknown>[]> {
  const res = await t.request(
    "GET",
    `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z&types=TOOL_CALL&limit=100`,
    {
      key,
    },
  );
  return (res.body as { events: Entry[] }).events.map((e) => e.data);
}

async function leadView(leadId: string) {
  return (await t.request("GET", `/v1/leads/${leadId}`, { key })).body as {
    additionalInfo: Record<string, unknown>;
    summary: string | null;
    followUpStep: number;
    nextFollowUpAt: string | null;
    tags: { name: string }[];
    isUnsubscribed: boolean;
    isHot: boolean;
  };
}

describe("the assistant with the rules brain, end to end", () => {
  const dana = { id: "", phone: "+15125550101" };

  it("writes the initial message for a profile with no templates, with the opt-out line, and explains it", async () => {
    Object.assign(dana, await newLead("Dana", dana.phone));
    await settle();
    const [first] = textsTo(dana.phone);
    expect(first).toBeDefined();
    expect(first).toContain("Dana");
    expect(first).toMatch(/Reply STOP to opt out\.$/);
    expect(first?.length).toBeLessThanOrEqual(320);
    const sent = await eventsOf(dana.id, "message.sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.data).toMatchObject({ isFollowUp: false, followUpStep: null, content: { text: first } });
    expect(await toolCalls(dana.id)).toEqual([
      expect.objectContaining({ tool: "write_message", brain: "rules", result: "drafted" }),
    ]);
    const timeline = await t.request(
      "GET",
      `/v1/leads/${dana.id}/events?since=2024-01-01T00:00:00Z&types=MESSAGE`,
      {
        key,
      },
    );
    expect((timeline.body as { events: Entry[] }).events[0]?.data).toMatchObject({ isAiGenerated: true });
  });

  it("writes each follow-up step when it falls due", async () => {
    t.clock.set("2024-01-16T14:31:00.000Z");
    await settle();
    const texts = textsTo(dana.phone);
    expect(texts).toHaveLength(2);
    expect(texts[1]).not.toBe(texts[0]);
    expect(texts[1]).not.toMatch(/Reply STOP to opt out\.$/);
    const sent = await eventsOf(dana.id, "message.sent");
    expect(sent[1]?.data).toMatchObject({ isFollowUp: true, followUpStep: 1, content: { text: texts[1] } });
    expect((await leadView(dana.id)).followUpStep).toBe(2);
  });

  it("answers a question: tag, extraction, summary, reply, and the follow-ups restart", async () => {
    t.clock.set("2024-01-16T15:00:00.000Z");
    await inbound(dana.phone, "How much does it cost? Our budget is $25k");
    await settle();
    const texts = textsTo(dana.phone);
    expect(texts).toHaveLength(3);
    const reply = await eventsOf(dana.id, "message.sent");
    expect(reply[2]?.data).toMatchObject({
      isFollowUp: false,
      followUpStep: null,
      content: { text: texts[2] },
    });
    const tagged = await eventsOf(dana.id, "leadTagged");
    expect(tagged.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ tag: "pricing", channel: "sms" }),
    );
    const updated = await eventsOf(dana.id, "lead.additionalInfo.updated");
    expect(updated.at(-1)?.data).toMatchObject({ additionalInfo: { budget: { old: null, new: "$25k" } } });
    const lead = await leadView(dana.id);
    expect(lead.additionalInfo).toMatchObject({ budget: "$25k" });
    expect(lead.summary).toMatch(/Dana/);
    expect(lead.tags.map((tag) => tag.name)).toEqual(expect.arrayContaining(["hasReplied", "pricing"]));
    // The reply expects an answer: step 1 again, 24 hours after it went out.
    expect(lead.followUpStep).toBe(1);
    expect(lead.nextFollowUpAt).toBe("2024-01-17T15:00:00.000Z");
    const calls = await toolCalls(dana.id);
    expect(calls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tool: "read_reply",
          brain: "rules",
          intent: "question",
          result: "question",
        }),
        expect.objectContaining({ tool: "tag_lead", result: "pricing" }),
        expect.objectContaining({ tool: "extract_info", result: "budget" }),
        expect.objectContaining({ tool: "update_summary", result: "updated" }),
        expect.objectContaining({ tool: "reply", intent: "question", result: "queued" }),
      ]),
    );
    for (const call of calls) expect(typeof call.reason).toBe("string");
  });

  it("raises a notification for a request for a call, by event and by email, and offers the booking link", async () => {
    t.clock.set("2024-01-16T16:00:00.000Z");
    await inbound(dana.phone, "Can you call me tomorrow at 3?");
    await settle();
    const [notification] = await eventsOf(dana.id, "notification");
    expect(notification).toEqual({
      event: "notification",
      data: {
        leadId: dana.id,
        phone: dana.phone,
        channel: "sms",
        notificationName: "Wants a call",
        notificationMessage: expect.any(String),
      },
      timestamp: "2024-01-16T16:00:00Z",
    });
    const mail = smtp.messages.find((m) => m.envelope.rcptTo.includes("sales@sunny.test"));
    expect(mail?.raw.toString("utf8")).toContain("Wants a call");
    expect(textsTo(dana.phone).at(-1)).toContain(BOOKING);
    expect((await leadView(dana.id)).isHot).toBe(true);
  });

  it("a request to stop in its own words: do-not-contact, an opt-out per channel, and nothing more of any kind", async () => {
    const sam = await newLead("Sam", "+15125550102");
    await settle();
    expect(textsTo(sam.phone)).toHaveLength(1);
    t.clock.set("2024-01-16T17:00:00.000Z");
    await inbound(sam.phone, "please lose my number");
    await settle();
    expect((await eventsOf(sam.id, "doNotContact")).map((e) => e.data)).toEqual([
      expect.objectContaining({ leadId: sam.id, optOutMessage: "please lose my number" }),
    ]);
    expect((await eventsOf(sam.id, "optOut")).map((e) => e.data)).toEqual([
      expect.objectContaining({ channel: "sms", isDoNotContact: true }),
    ]);
    expect((await leadView(sam.id)).isUnsubscribed).toBe(true);
    // Days later, whatever falls due: nothing reaches Sam again.
    for (const day of ["2024-01-18T15:00:00.000Z", "2024-01-22T15:00:00.000Z", "2024-02-20T15:00:00.000Z"]) {
      t.clock.set(day);
      await settle();
    }
    expect(textsTo(sam.phone)).toHaveLength(1);
    expect(await toolCalls(sam.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ tool: "do_not_contact", intent: "do_not_contact" })]),
    );
  });

  it("waits responseDelaySeconds, and a person who writes meanwhile takes over: the reply is not sent", async () => {
    await t.request("PATCH", "/v1/settings", { key, body: { responseDelaySeconds: 120 } });
    const lee = await newLead("Lee", "+15125550103");
    await settle();
    t.clock.set("2024-01-17T15:00:00.000Z");
    await inbound(lee.phone, "do you also do batteries?");
    await settle();
    expect(textsTo(lee.phone)).toHaveLength(1);
    t.clock.set("2024-01-17T15:00:40.000Z");
    const person = await t.request("POST", `/v1/leads/${lee.id}/sendMessage`, {
      key,
      body: {
        message: "Hi Lee, Maria here from Sunny Solar: yes we do, calling you in 5.",
        overrideBusinessHours: true,
      },
    });
    expect(person.status).toBe(200);
    t.clock.set("2024-01-17T15:02:01.000Z");
    await settle();
    expect(textsTo(lee.phone)).toEqual([
      expect.any(String),
      "Hi Lee, Maria here from Sunny Solar: yes we do, calling you in 5.",
    ]);
    const reply = await t.app.database.db
      .selectFrom("messages")
      .select(["status", "blocked_reason"])
      .where("lead_id", "=", lee.id)
      .where("reply_to_id", "is not", null)
      .executeTakeFirstOrThrow();
    expect(reply.status).toBe("blocked");
    expect(reply.blocked_reason).toMatch(/a human took over/);
    await t.request("PATCH", "/v1/settings", { key, body: { responseDelaySeconds: 0 } });
  });

  it("still reads a lead whose assistant is off, but does not answer it", async () => {
    const kai = await newLead("Kai", "+15125550104");
    await settle();
    await t.request("PATCH", `/v1/leads/${kai.id}`, { key, body: { isAiOn: false } });
    t.clock.set("2024-01-17T16:00:00.000Z");
    await inbound(kai.phone, "how much is it?");
    await settle();
    expect(textsTo(kai.phone)).toHaveLength(1);
    expect(await toolCalls(kai.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tool: "read_reply", intent: "question" }),
        expect.objectContaining({
          tool: "reply",
          result: "skipped",
          reason: "the assistant is off for this lead (isAiOn: false)",
        }),
      ]),
    );
  });

  it("'no calls, text me' opts out of calls only: texts go on", async () => {
    const ray = await newLead("Ray", "+15125550105");
    await settle();
    t.clock.set("2024-01-17T17:00:00.000Z");
    await inbound(ray.phone, "please don't call me, texting is fine");
    await settle();
    expect((await eventsOf(ray.id, "optOut")).map((e) => e.data)).toEqual([
      expect.objectContaining({ channel: "call", isTwilioOptOut: null, isDoNotContact: false }),
    ]);
    expect(await eventsOf(ray.id, "doNotContact")).toEqual([]);
    const send = await t.request("POST", `/v1/leads/${ray.id}/sendMessage`, {
      key,
      body: { message: "Thanks Ray, we'll stick to texts.", overrideBusinessHours: true },
    });
    expect(send.status).toBe(200);
    await settle();
    expect(textsTo(ray.phone).at(-1)).toBe("Thanks Ray, we'll stick to texts.");
  });

  it("reads each inbound message once and replies to it at most once", async () => {
    const replies = await t.app.database.db
      .selectFrom("messages")
      .select(["reply_to_id"])
      .where("reply_to_id", "is not", null)
      .execute();
    expect(new Set(replies.map((r) => r.reply_to_id)).size).toBe(replies.length);
    const jobs = await t.app.database.db.selectFrom("assistant_jobs").select(["status"]).execute();
    expect(jobs.every((job) => job.status === "done")).toBe(true);
    expect(await t.app.assistant.runDue()).toBe(0);
  });
});
