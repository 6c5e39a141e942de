import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTwilio, startFakeTwilio, twilioError } from "../../../test/fakeTwilio.js";
import { ADMIN_KEY, startTestApp, type TestApp } from "../../../test/harness.js";
import { ManualClock } from "../../clock.js";
import { timelineData } from "../../domain/jsonColumns.js";
import { claimMessages } from "./claimMessages.js";
import { markProviderCalls } from "./providerCallMarks.js";

const SID = `AC${"d4".repeat(16)}`;
const TOKEN = "reconciler-token";
const FROM = "+12025550000";
const LEASE_MS = 60_000;
const RECHECK_MS = 60_000;
const ABSENT_AFTER_MS = 3_600_000;
const HOUR = 3_600_000;

const clock = new ManualClock("2024-01-15T16:30:00.000Z");
let t: TestApp;
let twilio: FakeTwilio;
let phone = 200;

beforeAll(async () => {
  // The fake dates what it sends by the test's clock, as Twilio's and ours agree in life.
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, now: () => clock.now() });
  t = await startTestApp({
    clock,
    env: {
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      MESSAGE_CLAIM_LEASE_MS: String(LEASE_MS),
      MESSAGE_RECONCILE_ABSENT_AFTER_MS: String(ABSENT_AFTER_MS),
      MESSAGE_RECONCILE_RECHECK_MS: String(RECHECK_MS),
    },
  });
  await t.request("POST", "/v1/profiles", { key: ADMIN_KEY, body: { name: "P" } });
  const seq = await t.request("POST", "/v1/profiles", {
    key: ADMIN_KEY,
    body: {
      name: "Seq",
      initialMessage: "Hi {{firstName}}, it's Leadwire!",
      followUpConfig: { "1": { hours: 24, channel: "text" } },
      followUpTemplates: { "1": { text: "Still there, {{firstName}}?" } },
    },
  });
  expect(seq.status).toBe(201);
});
afterAll(async () => {
  await t.close();
  await twilio.close();
});

async function newLead(profile: string): Promise<{ id: string; phone: string }> {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const res = await t.request("POST", "/v1/leads/create", {
    key: ADMIN_KEY,
    body: {
      firstName: "Ada",
      lastName: "L",
      phone: p,
      customerProfile: profile,
      timeZone: "America/New_York",
    },
  });
  expect(res.status).toBe(200);
  return { id: (res.body as { id: string }).id, phone: p };
}

/** A queued SMS to a new lead, due now. */
async function queued(text: string): Promise<{ id: string; leadId: string; phone: string }> {
  const lead = await newLead("P");
  const res = await t.request("POST", `/v1/leads/${lead.id}/sendMessage`, {
    key: ADMIN_KEY,
    body: { message: text, overrideBusinessHours: true },
  });
  return { id: (res.body as { messageId: string }).messageId, leadId: lead.id, phone: lead.phone };
}

/** A sender claims what is due, marks the calls as starting and stops before any request leaves. */
async function stoppedAfterMark(): Promise<void> {
  const rows = await claimMessages(t.app.database, { workerId: "stopped", now: clock.now(), limit: 100 });
  const calls = rows.map((r) => ({ id: r.id, provider: "twilio" }));
  expect(await markProviderCalls(t.app.database, "stopped", calls, clock.now())).toEqual(
    calls.map(() => true),
  );
  clock.advance(LEASE_MS + 1000);
  await t.app.messages.runDue();
}

const row = (id: string) =>
  t.app.database.db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const posts = (to: string) => twilio.requests.filter((r) => r.method === "POST" && r.params.To === to);
const lookups = (to: string) => twilio.requests.filter((r) => r.method === "GET" && r.query.To === to);
const sentEvents = async (leadId: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("type", "=", "message.sent")
      .where("lead_id", "=", leadId)
      .execute()
  ).map((e) => JSON.parse(e.body) as unknown);
const timeline = async (leadId: string) =>
  (
    await t.app.database.db
      .selectFrom("timeline")
      .select(["id", "data"])
      .where("lead_id", "=", leadId)
      .orderBy("timestamp")
      .orderBy("id")
      .execute()
  ).map((e) => timelineData.read(e.data, e.id));
const leadView = async (id: string) =>
  (await t.request("GET", `/v1/leads/${id}`, { key: ADMIN_KEY })).body as {
    followUpStep: number;
    nextFollowUpAt: string | null;
  };
const wholeSeconds = (iso: string) => `${iso.slice(0, 19)}Z`;

describe("the reconciler", () => {
  it("finds a message Twilio took whose answer was lost: `sent`, one message.sent, follow-ups go on", async () => {
    twilio.respondWith((r) => (r.method === "POST" ? { destroySocket: true, created: true } : undefined));
    const lead = await newLead("Seq");
    const initial = await t.app.database.db
      .selectFrom("messages")
      .select("id")
      .where("lead_id", "=", lead.id)
      .executeTakeFirstOrThrow();
    await t.app.messages.runDue();
    twilio.respondWith(undefined);
    const unknown = await row(initial.id);
    expect(unknown.status).toBe("unknown");
    expect(await sentEvents(lead.id)).toEqual([]);
    expect((await leadView(lead.id)).nextFollowUpAt).toBeNull();

    // Within the lease it waits: the provider may not list the message yet.
    await t.app.reconciler.runDue();
    expect(lookups(lead.phone)).toEqual([]);

    clock.advance(LEASE_MS + 1000);
    await t.app.reconciler.runDue();
    const [lookup] = lookups(lead.phone);
    expect(lookup?.query).toMatchObject({ To: lead.phone, From: FROM });
    expect(lookup?.query["DateSent>"]).toMatch(/^2024-01-15T16:\d\d:\d\dZ$/);
    expect(lookup?.query["DateSent<"]).toMatch(/^2024-01-15T16:\d\d:\d\dZ$/);
    const held = twilio.messages.filter((m) => m.to === lead.phone);
    expect(held).toHaveLength(1);
    const sent = await row(initial.id);
    expect(sent).toMatchObject({ status: "sent", provider: "twilio", provider_message_id: held[0]?.sid });
    const callAt = unknown.provider_call_at ?? "";
    expect(sent.sent_at).toBe(callAt);
    expect(await sentEvents(lead.id)).toEqual([
      {
        event: "message.sent",
        data: {
          leadId: lead.id,
          phone: lead.phone,
          channel: "sms",
          profile: "Seq",
          isFollowUp: false,
          followUpStep: null,
          content: { text: "Hi Ada, it's Leadwire!" },
        },
        timestamp: wholeSeconds(callAt),
      },
    ]);
    expect((await timeline(lead.id)).at(-1)).toMatchObject({
      direction: "OUTBOUND",
      status: "sent",
      messageId: initial.id,
      resolution: { decision: "sent", decidedBy: "reconciler" },
    });

    // The sequence moved on as after any send: step 1 a day after the initial message went out.
    const next = (await leadView(lead.id)).nextFollowUpAt;
    expect(next).toBe(new Date(Date.parse(callAt) + 24 * HOUR).toISOString());
    clock.set(next ?? "");
    await t.app.followUps.runDue();
    await t.app.messages.runDue();
    expect(posts(lead.phone).map((p) => p.params.Body)).toEqual([
      "Hi Ada, it's Leadwire!",
      "Still there, Ada?",
    ]);
    // Past its last step, without nurture, the sequence stops.
    expect((await leadView(lead.id)).followUpStep).toBe(-1);

    clock.advance(LEASE_MS * 10);
    await t.app.reconciler.runDue();
    expect(lookups(lead.phone)).toHaveLength(1);
    expect(await sentEvents(lead.id)).toHaveLength(2);
  });

  it("queues a message Twilio never got again, once enough time has passed, and it goes out once", async () => {
    const m = await queued("are you there?");
    await stoppedAfterMark();
    expect((await row(m.id)).status).toBe("unknown");

    await t.app.reconciler.runDue();
    expect(lookups(m.phone)).toHaveLength(1);
    // Twilio lists nothing, but a message can sit in its queue (no DateSent) for hours: not yet.
    expect(await row(m.id)).toMatchObject({ status: "unknown", auto_resent_at: null });
    await t.app.reconciler.runDue();
    expect(lookups(m.phone)).toHaveLength(1);

    clock.advance(ABSENT_AFTER_MS);
    await t.app.reconciler.runDue();
    expect(lookups(m.phone)).toHaveLength(2);
    const requeued = await row(m.id);
    expect(requeued).toMatchObject({ status: "queued", provider_call_at: null, claimed_by: null });
    expect(requeued.auto_resent_at).not.toBeNull();
    expect((await timeline(m.leadId)).at(-1)).toMatchObject({
      status: "unknown",
      messageId: m.id,
      resolution: { decision: "resend", decidedBy: "reconciler" },
    });

    await t.app.messages.runDue();
    expect((await row(m.id)).status).toBe("sent");
    expect(posts(m.phone)).toHaveLength(1);
    expect(twilio.messages.filter((x) => x.to === m.phone)).toHaveLength(1);
    expect(await sentEvents(m.leadId)).toHaveLength(1);
  });

  it("never queues a message again by itself a second time; an operator still can", async () => {
    const m = await queued("second chance");
    await stoppedAfterMark();
    clock.advance(ABSENT_AFTER_MS);
    await t.app.reconciler.runDue();
    expect((await row(m.id)).status).toBe("queued");

    // The resend is lost the same way: claimed, marked, and the sender stops.
    await stoppedAfterMark();
    expect((await row(m.id)).status).toBe("unknown");
    clock.advance(ABSENT_AFTER_MS);
    await t.app.reconciler.runDue();
    const left = await row(m.id);
    expect(left.status).toBe("unknown");
    expect(left.next_reconcile_at?.startsWith("9999-")).toBe(true);
    const asked = lookups(m.phone).length;
    clock.advance(ABSENT_AFTER_MS * 5);
    await t.app.reconciler.runDue();
    await t.app.messages.runDue();
    expect(await row(m.id)).toMatchObject({ status: "unknown" });
    expect(lookups(m.phone)).toHaveLength(asked);
    expect(posts(m.phone)).toEqual([]);

    const res = await t.request("POST", `/v1/messages/${m.id}/resolve`, {
      key: ADMIN_KEY,
      body: { resolution: "resend", note: "checked the Twilio console: not there" },
    });
    expect(res.status).toBe(200);
    await t.app.messages.runDue();
    expect((await row(m.id)).status).toBe("sent");
    expect(posts(m.phone)).toHaveLength(1);
  });

  it("keeps a message `unknown` while lookups fail (5xx, 429, network) and asks again later", async () => {
    twilio.respondWith((r) => (r.method === "POST" ? { destroySocket: true, created: true } : undefined));
    const m = await queued("hello again");
    await t.app.messages.runDue();
    expect((await row(m.id)).status).toBe("unknown");

    const failures = [
      twilioError(503, 20503, "Service Unavailable"),
      twilioError(429, 20429, "Too Many Requests"),
      { destroySocket: true as const },
    ];
    clock.advance(LEASE_MS);
    for (const [i, failure] of failures.entries()) {
      twilio.respondWith((r) => (r.method === "GET" ? failure : undefined));
      // The last failure comes after the time that would let an empty answer count as absence.
      clock.advance(i === failures.length - 1 ? ABSENT_AFTER_MS : RECHECK_MS);
      await t.app.reconciler.runDue();
      expect(lookups(m.phone)).toHaveLength(i + 1);
      expect((await row(m.id)).status).toBe("unknown");
      // Not asked again before the recheck time.
      await t.app.reconciler.runDue();
      expect(lookups(m.phone)).toHaveLength(i + 1);
    }

    twilio.respondWith(undefined);
    clock.advance(RECHECK_MS);
    await t.app.reconciler.runDue();
    expect(await row(m.id)).toMatchObject({
      status: "sent",
      provider_message_id: twilio.messages.find((x) => x.to === m.phone)?.sid,
    });
    expect(posts(m.phone)).toHaveLength(1);
    expect(await sentEvents(m.leadId)).toHaveLength(1);
  });
});
