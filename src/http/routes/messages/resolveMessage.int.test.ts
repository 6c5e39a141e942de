import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { parseEnvelope } from "../../../../test/envelopes.js";
import { ADMIN_KEY, startTestApp, type TestApp } from "../../../../test/harness.js";
import { hashApiKey } from "../../../domain/orgs/apiKeys.js";
import { claimMessages } from "../../../jobs/messages/claimMessages.js";
import { markProviderCalls } from "../../../jobs/messages/providerCallMarks.js";
import type { GetLeadResponse } from "../leads/getLead.js";
import type { SendMessageResponse } from "../leads/sendMessage.js";
import type { ListMessagesResponse } from "./listMessages.js";

const LEASE_MS = 60_000;
const HOUR = 3_600_000;
let t: TestApp;
let keyId: string;
let phone = 400;

beforeAll(async () => {
  t = await startTestApp({ env: { MESSAGE_CLAIM_LEASE_MS: String(LEASE_MS) } });
  t.clock.set("2024-01-15T16:30:00.000Z");
  keyId = (
    await t.app.database.db
      .selectFrom("api_keys")
      .select("id")
      .where("key_hash", "=", hashApiKey(ADMIN_KEY))
      .executeTakeFirstOrThrow()
  ).id;
  const profile = await t.request("POST", "/v1/profiles", {
    key: ADMIN_KEY,
    body: {
      name: "Seq",
      emailEnabled: true,
      followUpConfig: { "1": { hours: 24, channel: "text" } },
      followUpTemplates: { "1": { text: "Still there, {{firstName}}?" } },
    },
  });
  expect(profile.status).toBe(201);
});
afterAll(async () => {
  await t.close();
});

interface Unknown {
  id: string;
  leadId: string;
  phone: string;
}

/**
 * A message whose send was cut short after its provider call was marked as starting (the
 * sender stopped there): past the lease it is `unknown`.
 */
async function unknownMessage(body: Record<string, unknown>): Promise<Unknown> {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const leadId = await createLead(t, ADMIN_KEY, {
    firstName: "Ada",
    lastName: "L",
    phone: p,
    email: "ada@example.com",
    customerProfile: "Seq",
    timeZone: "America/New_York",
  });
  const res = await t.post<SendMessageResponse>(`/v1/leads/${leadId}/sendMessage`, {
    overrideBusinessHours: true,
    ...body,
  });
  const id = res.body.messageId;
  const rows = await claimMessages(t.app.database, { workerId: "stopped", now: t.clock.now(), limit: 100 });
  await markProviderCalls(
    t.app.database,
    "stopped",
    rows.map((r) => ({ id: r.id, provider: "dev-sink" })),
    t.clock.now(),
  );
  t.clock.advance(LEASE_MS + 1000);
  await t.app.messages.runDue();
  expect((await row(id)).status).toBe("unknown");
  return { id, leadId, phone: p };
}

const row = (id: string) =>
  t.app.database.db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const resolve = (id: string, body: unknown, key = ADMIN_KEY) =>
  t.request("POST", `/v1/messages/${id}/resolve`, { key, body });
const sentEvents = async (leadId: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("type", "=", "message.sent")
      .where("lead_id", "=", leadId)
      .execute()
  ).map((e) => parseEnvelope(e.body));
const lastTimelineEntry = async (leadId: string) => {
  const rows = await t.app.database.db
    .selectFrom("timeline")
    .select("data")
    .where("lead_id", "=", leadId)
    .orderBy("timestamp", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .execute();
  const data: unknown = JSON.parse(rows[0]?.data ?? "null");
  return data;
};
const outboxRows = async (messageId: string) =>
  t.app.database.db.selectFrom("dev_outbox").select("id").where("message_id", "=", messageId).execute();
const leadView = async (id: string) => (await t.get<GetLeadResponse>(`/v1/leads/${id}`)).body;

describe("POST /v1/messages/{id}/resolve", () => {
  it("`sent` records it like an accepted send: timeline with who decided, message.sent, the sequence goes on", async () => {
    const m = await unknownMessage({ message: "Are you still looking?", scheduleFollowUps: true });
    const callAt = (await row(m.id)).provider_call_at ?? "";
    expect((await leadView(m.leadId)).nextFollowUpAt).toBeNull();
    // What an operator sees before deciding: who wrote it, how many calls, when the doubtful one started.
    const listed = await t.get<ListMessagesResponse>("/v1/messages?status=unknown&limit=1000");
    expect(listed.body.messages).toContainEqual(
      expect.objectContaining({
        id: m.id,
        status: "unknown",
        author: "person",
        attempts: 1,
        providerCallAt: callAt,
      }),
    );

    const res = await resolve(m.id, { resolution: "sent", note: "the lead answered it by phone" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: m.id, status: "sent", providerMessageId: null, sentAt: callAt });
    expect(await sentEvents(m.leadId)).toEqual([
      {
        event: "message.sent",
        data: {
          leadId: m.leadId,
          phone: m.phone,
          channel: "sms",
          profile: "Seq",
          isFollowUp: false,
          followUpStep: null,
          content: { text: "Are you still looking?" },
        },
        timestamp: `${callAt.slice(0, 19)}Z`,
      },
    ]);
    expect(await lastTimelineEntry(m.leadId)).toMatchObject({
      direction: "OUTBOUND",
      status: "sent",
      messageId: m.id,
      resolution: {
        decision: "sent",
        decidedBy: keyId,
        note: "the lead answered it by phone",
        decidedAt: t.clock.now().toISOString(),
      },
    });

    // The conversation restarted when the message went out: step 1 a day later, then sent.
    const next = (await leadView(m.leadId)).nextFollowUpAt;
    expect(next).toBe(new Date(Date.parse(callAt) + 24 * HOUR).toISOString());
    t.clock.set(next ?? "");
    await t.app.followUps.runDue();
    await t.app.messages.runDue();
    const step = await t.app.database.db
      .selectFrom("messages")
      .select(["status", "text"])
      .where("lead_id", "=", m.leadId)
      .where("follow_up_step", "=", 1)
      .executeTakeFirstOrThrow();
    expect(step).toEqual({ status: "sent", text: "Still there, Ada?" });
    expect(await sentEvents(m.leadId)).toHaveLength(2);
    // Nothing reached the provider for the resolved message, before or after.
    expect(await outboxRows(m.id)).toEqual([]);

    const again = await resolve(m.id, { resolution: "resend" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "CONFLICT", status: "sent" });
  });

  it("`sent` keeps the provider's id when the operator has it (email: message.sent carries the subject)", async () => {
    const m = await unknownMessage({ channel: "email", subject: "Your visit", message: "See you Tuesday." });
    const res = await resolve(m.id, { resolution: "sent", providerMessageId: "<abc@mail.example>" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "sent",
      provider: "dev-sink",
      providerMessageId: "<abc@mail.example>",
    });
    const [event] = await sentEvents(m.leadId);
    expect(event?.data).toMatchObject({
      channel: "email",
      content: { subject: "Your visit", text: "See you Tuesday." },
    });
  });

  it("`failed` ends it, on the timeline with who decided, and announces nothing", async () => {
    const m = await unknownMessage({ message: "Did this arrive?", scheduleFollowUps: true });
    const res = await resolve(m.id, { resolution: "failed", note: "carrier says no" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "failed",
      errorMessage: `resolved as failed by ${keyId}: carrier says no`,
    });
    expect(await lastTimelineEntry(m.leadId)).toMatchObject({
      status: "failed",
      messageId: m.id,
      resolution: { decision: "failed", decidedBy: keyId, note: "carrier says no" },
    });
    expect(await sentEvents(m.leadId)).toEqual([]);
    expect((await leadView(m.leadId)).nextFollowUpAt).toBeNull();
    await t.app.messages.runDue();
    expect(await outboxRows(m.id)).toEqual([]);
  });

  it("`resend` queues it now; it goes out once", async () => {
    const m = await unknownMessage({ message: "One more time" });
    const res = await resolve(m.id, { resolution: "resend" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "queued", dueAt: t.clock.now().toISOString() });
    expect(await lastTimelineEntry(m.leadId)).toMatchObject({
      status: "unknown",
      resolution: { decision: "resend", decidedBy: keyId },
    });
    await t.app.messages.runDue();
    expect((await row(m.id)).status).toBe("sent");
    expect(await outboxRows(m.id)).toHaveLength(1);
    expect(await sentEvents(m.leadId)).toHaveLength(1);
  });

  it("refuses a message that is not `unknown` (409), another org's or a missing one (404), and bad bodies (400)", async () => {
    const m = await unknownMessage({ message: "Scoped" });
    const other = await t.newOrg();
    expect((await resolve(m.id, { resolution: "sent" }, other)).status).toBe(404);
    expect((await resolve("msg_missing", { resolution: "sent" })).status).toBe(404);
    expect((await resolve(m.id, { resolution: "maybe" })).status).toBe(400);
    expect((await resolve(m.id, { resolution: "failed", providerMessageId: "SM1" })).status).toBe(400);
    expect((await resolve(m.id, { resolution: "failed", extra: 1 })).status).toBe(400);
    expect((await row(m.id)).status).toBe("unknown");

    const lead = await createLead(t, ADMIN_KEY, {
      firstName: "B",
      lastName: "C",
      phone: "+12025559988",
      customerProfile: "Seq",
    });
    const queued = await t.post<SendMessageResponse>(`/v1/leads/${lead}/sendMessage`, {
      message: "later",
      scheduledTime: "2030-01-01T00:00:00Z",
    });
    const res = await resolve(queued.body.messageId, { resolution: "sent" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", status: "queued" });
  });
});
