import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnvelope } from "../../../test/envelopes.js";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../test/receiver.js";
import { insertEndpoint, orgIdOf } from "../../../test/webhookFixtures.js";
import { receiveSms } from "../../domain/messages/receiveSms.js";

const HOUR = 3_600_000;
let t: TestApp;
let r: Receiver;
let key: string;
let phone = 700;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  r = await startReceiver();
  key = await t.newOrg();
  await insertEndpoint(t, await orgIdOf(t, key), r.url, { events: ["message.sent"] });
  await t.request("PATCH", "/v1/settings", {
    key,
    // The number the leads text below: inbound texts route to the org that owns it.
    body: {
      longTermFollowUps: { enabled: true, intervalDays: 30 },
      senders: { sms: { from: "+12025550000" } },
    },
  });
  const profile = await t.request("POST", "/v1/profiles", {
    key,
    body: {
      name: "Buyers",
      emailEnabled: true,
      initialMessage: "Hi {{firstName}}, this is {{aiName}}!",
      followUpConfig: { "1": { hours: 24, channel: "text" }, "2": { hours: 48, channel: "email" } },
      followUpTemplates: {
        "1": { text: "Still interested, {{firstName}}?" },
        "2": { subject: "Following up, {{firstName}}", text: "Hi {{firstName}} {{lastName}}" },
      },
      nurtureTemplate: { text: "Checking in, {{firstName}}." },
    },
  });
  expect(profile.status).toBe(201);
});
afterAll(async () => {
  await r.close();
  await t.close();
});

async function newLead(extra: Record<string, unknown> = {}) {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const res = await t.request("POST", "/v1/leads/create", {
    key,
    body: {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: p,
      email: "ada@example.com",
      timeZone: "America/New_York",
      customerProfile: "Buyers",
      ...extra,
    },
  });
  expect(res.status).toBe(200);
  return { id: (res.body as { id: string }).id, phone: p };
}

async function runAll(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await t.app.followUps.runDue();
    await t.app.messages.runDue();
  }
  await t.app.webhooks.runDue();
}

const lead = async (id: string) =>
  (await t.request("GET", `/v1/leads/${id}`, { key })).body as {
    followUpStep: number;
    nextFollowUpAt: string | null;
  };

const sentFor = (leadId: string) =>
  r.received
    .map((x) => parseEnvelope(x.body.toString("utf8")))
    .filter((e) => e.data.leadId === leadId)
    .map((e) => ({
      at: e.timestamp,
      channel: e.data.channel,
      isFollowUp: e.data.isFollowUp,
      followUpStep: e.data.followUpStep,
      content: e.data.content,
    }));

describe("the follow-up engine", () => {
  it("runs the whole sequence: initial outreach, steps 1..N in their channels, then nurture", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z"); // Monday 09:30 New York
    const { id } = await newLead();
    await runAll();
    expect(await lead(id)).toMatchObject({ followUpStep: 1, nextFollowUpAt: "2024-01-16T14:30:00.000Z" });
    t.clock.set("2024-01-16T14:30:00.000Z");
    await runAll();
    expect(await lead(id)).toMatchObject({ followUpStep: 2, nextFollowUpAt: "2024-01-18T14:30:00.000Z" });
    t.clock.set("2024-01-18T14:30:00.000Z");
    await runAll();
    expect(await lead(id)).toMatchObject({ followUpStep: -2, nextFollowUpAt: "2024-02-17T14:30:00.000Z" });
    t.clock.set("2024-02-19T15:00:00.000Z"); // the nurture date was a Saturday: Monday 10:00
    await runAll();
    expect(sentFor(id)).toEqual([
      {
        at: "2024-01-15T14:30:00Z",
        channel: "sms",
        isFollowUp: false,
        followUpStep: null,
        content: { text: "Hi Ada, this is Leadwire Assistant!" },
      },
      {
        at: "2024-01-16T14:30:00Z",
        channel: "sms",
        isFollowUp: true,
        followUpStep: 1,
        content: { text: "Still interested, Ada?" },
      },
      {
        at: "2024-01-18T14:30:00Z",
        channel: "email",
        isFollowUp: true,
        followUpStep: 2,
        content: { subject: "Following up, Ada", text: "Hi Ada Lovelace" },
      },
      {
        at: "2024-02-19T15:00:00Z",
        channel: "sms",
        isFollowUp: true,
        followUpStep: -2,
        content: { text: "Checking in, Ada." },
      },
    ]);
    expect(await lead(id)).toMatchObject({ followUpStep: -2, nextFollowUpAt: "2024-03-20T15:00:00.000Z" });
  });

  it("moves a step due outside the window to the next opening (Friday evening → Monday 09:00)", async () => {
    t.clock.set("2024-01-19T01:30:00.000Z"); // Thursday 20:30 New York (outreach waits for Friday 09:00)
    const { id } = await newLead();
    t.clock.set("2024-01-19T14:00:00.000Z"); // Friday 09:00
    await runAll();
    await t.request("PATCH", `/v1/leads/${id}`, {
      key,
      body: { followUpStep: 1, followUpConfig: { "1": { hours: 11.5, channel: "text" } } },
    });
    expect((await lead(id)).nextFollowUpAt).toBe("2024-01-20T01:30:00.000Z"); // Friday 20:30 New York
    t.clock.set("2024-01-20T01:30:00.000Z");
    await runAll();
    const queued = await t.app.database.db
      .selectFrom("messages")
      .select(["status", "due_at"])
      .where("lead_id", "=", id)
      .where("follow_up_step", "=", 1)
      .executeTakeFirstOrThrow();
    expect(queued).toEqual({ status: "queued", due_at: "2024-01-22T14:00:00.000Z" }); // Monday 09:00
    t.clock.set("2024-01-22T14:00:00.000Z");
    await runAll();
    expect(sentFor(id).at(-1)).toMatchObject({ at: "2024-01-22T14:00:00Z", followUpStep: 1 });
  });

  it("stops on a reply; a new outbound message with scheduleFollowUps restarts at step 1", async () => {
    t.clock.set("2024-03-04T15:00:00.000Z"); // Monday 10:00 New York
    const { id, phone: p } = await newLead();
    await runAll();
    expect((await lead(id)).nextFollowUpAt).toBe("2024-03-05T15:00:00.000Z");
    t.clock.advance(2 * HOUR);
    await receiveSms(t.app.ctx, {
      messageSid: `SMreply${id}`,
      from: p,
      to: "+12025550000",
      body: "Yes, call me",
    });
    expect(await lead(id)).toMatchObject({ followUpStep: 1, nextFollowUpAt: null });
    t.clock.set("2024-03-06T15:00:00.000Z");
    await runAll();
    expect(sentFor(id).filter((m) => m.isFollowUp)).toEqual([]);

    const res = await t.request("POST", `/v1/leads/${id}/sendMessage`, {
      key,
      body: { message: "Great, talk soon!", scheduleFollowUps: true },
    });
    expect(res.status).toBe(200);
    await runAll();
    expect(await lead(id)).toMatchObject({ followUpStep: 1, nextFollowUpAt: "2024-03-07T15:00:00.000Z" });
    t.clock.set("2024-03-07T15:00:00.000Z");
    await runAll();
    expect(
      sentFor(id)
        .filter((m) => m.isFollowUp)
        .map((m) => m.followUpStep),
    ).toEqual([1]);
  });

  it("moves the sequence in send order when a step and a conversation message to one lead share a batch", async () => {
    t.clock.set("2024-03-25T15:00:00.000Z"); // Monday 11:00 New York
    const { id } = await newLead();
    await runAll();
    t.clock.set("2024-03-26T15:00:00.000Z"); // step 1 falls due
    expect(await t.app.followUps.runDue()).toBeGreaterThanOrEqual(1);
    const res = await t.request("POST", `/v1/leads/${id}/sendMessage`, {
      key,
      body: { message: "Any questions?", scheduleFollowUps: true },
    });
    expect(res.status).toBe(200);
    // One sender batch takes both: the step (which moves the lead to step 2) and the conversation
    // message (which starts a new cycle at step 1), whichever order they went out in.
    await t.app.messages.runDue();
    const sent = await t.app.database.db
      .selectFrom("messages")
      .select(["follow_up_step", "status", "sent_at"])
      .where("lead_id", "=", id)
      .where("sent_at", "=", "2024-03-26T15:00:00.000Z")
      .execute();
    expect(sent.sort((a, b) => (a.follow_up_step ?? 0) - (b.follow_up_step ?? 0))).toEqual([
      { follow_up_step: null, status: "sent", sent_at: "2024-03-26T15:00:00.000Z" },
      { follow_up_step: 1, status: "sent", sent_at: "2024-03-26T15:00:00.000Z" },
    ]);
    expect(await lead(id)).toMatchObject({ followUpStep: 1, nextFollowUpAt: "2024-03-27T15:00:00.000Z" });
    const row = await t.app.database.db
      .selectFrom("leads")
      .select(["follow_up_cycle", "last_activity_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ follow_up_cycle: 2, last_activity_at: "2024-03-26T15:00:00.000Z" });
  });

  it("cancels the pending step on an opt-out of its channel and when the assistant is turned off", async () => {
    t.clock.set("2024-03-11T15:00:00.000Z");
    const a = await newLead();
    const b = await newLead();
    await runAll();
    await receiveSms(t.app.ctx, {
      messageSid: `SMstop${a.id}`,
      from: a.phone,
      to: "+12025550000",
      body: "STOP",
    });
    await t.request("PATCH", `/v1/leads/${b.id}`, { key, body: { isAiOn: false } });
    expect((await lead(a.id)).nextFollowUpAt).toBeNull();
    expect((await lead(b.id)).nextFollowUpAt).toBeNull();
  });

  it("blocks a step whose template needs a value the lead lacks, with the reason on the timeline", async () => {
    t.clock.set("2024-03-18T15:00:00.000Z");
    await t.request("POST", "/v1/profiles", {
      key,
      body: {
        name: "Needs budget",
        followUpConfig: { "1": { hours: 1, channel: "text" } },
        followUpTemplates: { "1": { text: "About your budget of {{additionalInfo.budget}}" } },
      },
    });
    const { id } = await newLead({ customerProfile: "Needs budget" });
    await t.request("PATCH", `/v1/leads/${id}`, { key, body: { followUpStep: 1 } });
    t.clock.advance(HOUR);
    await runAll();
    const timeline = await t.request(
      "GET",
      `/v1/leads/${id}/events?since=2024-01-01T00:00:00Z&types=COMPLIANCE_BLOCKED`,
      { key },
    );
    expect((timeline.body as { events: { data: { reason: string } }[] }).events[0]?.data.reason).toBe(
      "template variable missing: additionalInfo.budget",
    );
    expect(sentFor(id)).toEqual([]);
  });

  it("switchCustomerProfile: the new profile's config applies from now, with an optional delayed message", async () => {
    t.clock.set("2024-04-01T14:00:00.000Z"); // Monday 10:00 New York
    await t.request("POST", "/v1/profiles", {
      key,
      body: {
        name: "Renters",
        initialMessage: "Hello again {{firstName}}, about renting…",
        followUpConfig: { "1": { hours: 2, channel: "text" } },
        followUpTemplates: { "1": { text: "Any questions about renting?" } },
      },
    });
    const quiet = await newLead();
    const moved = await t.request("POST", `/v1/leads/${quiet.id}/switchCustomerProfile`, {
      key,
      body: { profile: "Renters" },
    });
    expect(moved.body).toEqual({ message: "Customer profile switched successfully." });
    expect(await lead(quiet.id)).toMatchObject({
      followUpStep: 1,
      nextFollowUpAt: "2024-04-01T16:00:00.000Z",
    });
    expect((await t.request("GET", `/v1/leads/${quiet.id}`, { key })).body).toMatchObject({
      customerProfile: "Renters",
    });

    const talk = await newLead();
    await runAll();
    const res = await t.request("POST", `/v1/leads/${talk.id}/switchCustomerProfile`, {
      key,
      body: { profile: "Renters", sendMessage: true, messageDelayHours: 1, messageDelayMins: 5 },
    });
    expect(res.status).toBe(200);
    expect(await lead(talk.id)).toMatchObject({ nextFollowUpAt: null });
    const sentBefore = sentFor(talk.id).length;
    t.clock.set("2024-04-01T14:59:00.000Z");
    await runAll();
    expect(sentFor(talk.id)).toHaveLength(sentBefore);
    t.clock.set("2024-04-01T15:00:00.000Z"); // hours win over minutes
    await runAll();
    expect(sentFor(talk.id).at(-1)).toMatchObject({
      at: "2024-04-01T15:00:00Z",
      content: { text: "Hello again Ada, about renting…" },
    });
    expect(await lead(talk.id)).toMatchObject({
      followUpStep: 1,
      nextFollowUpAt: "2024-04-01T17:00:00.000Z",
    });

    const bad = await t.request("POST", `/v1/leads/${talk.id}/switchCustomerProfile`, {
      key,
      body: { profile: "Nope" },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { details: { path: string }[] }).details[0]?.path).toBe("profile");
  });
});
