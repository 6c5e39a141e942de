import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { parseOpenApiDocument } from "../../../../test/openApiDocument.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { insertEndpoint, orgIdOf } from "../../../../test/webhookFixtures.js";
import type { MessageStatus } from "../../../db/schema.js";
import { newEventId, newId } from "../../../ids.js";
import type { CreateEndpointResponse } from "../webhooks/createEndpoint.js";
import type { GetDailyStatsResponse } from "./getDailyStats.js";
import type { GetDeliveriesHourlyResponse } from "./getDeliveriesHourly.js";

// The harness's clock: Monday 2024-01-15 14:30 UTC. "7 days" starts at 2024-01-08T14:30Z.
const NOW = "2024-01-15T14:30:00.000Z";

let t: TestApp;
let receiver: Receiver;
let phone = 100;

beforeAll(async () => {
  receiver = await startReceiver((_request, index) =>
    index === 0 ? { status: 200, body: "ok" } : { status: 500, body: "down" },
  );
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

interface Org {
  key: string;
  orgId: string;
}

async function newOrg(): Promise<Org> {
  const key = await t.newOrg();
  const profile = await t.request("POST", "/v1/profiles", {
    key,
    body: { name: "P", smsEnabled: true, emailEnabled: true },
  });
  expect(profile.status, profile.text).toBe(201);
  return { key, orgId: await orgIdOf(t, key) };
}

async function newLead(org: Org, email?: string): Promise<string> {
  return createLead(t, org.key, {
    firstName: "Ada",
    lastName: "Lovelace",
    phone: `+1202555${String(phone++).padStart(4, "0")}`,
    customerProfile: "P",
    ...(email === undefined ? {} : { email }),
  });
}

/** A message row as the sender or the inbound routes leave it, at a chosen time. */
async function insertMessage(
  org: Org,
  leadId: string,
  m: { direction: "outbound" | "inbound"; status: MessageStatus; at: string; sentAt?: string },
): Promise<void> {
  await t.app.database.db
    .insertInto("messages")
    .values({
      id: newId("msg"),
      org_id: org.orgId,
      lead_id: leadId,
      channel: "sms",
      direction: m.direction,
      status: m.status,
      text: "hello",
      subject: null,
      segments: null,
      encoding: null,
      follow_up_step: null,
      due_at: null,
      claimed_by: null,
      claimed_at: null,
      provider: null,
      provider_message_id: null,
      error_code: null,
      error_message: null,
      blocked_reason: null,
      timeline_id: null,
      sent_at: m.sentAt ?? null,
      created_at: m.at,
      updated_at: m.sentAt ?? m.at,
    })
    .execute();
}

const sent = (org: Org, leadId: string, at: string) =>
  insertMessage(org, leadId, { direction: "outbound", status: "delivered", at, sentAt: at });
const received = (org: Org, leadId: string, at: string) =>
  insertMessage(org, leadId, { direction: "inbound", status: "received", at });

async function insertEvent(org: Org, type: string, at: string, isTest: 0 | 1 = 0): Promise<void> {
  await t.app.database.db
    .insertInto("events")
    .values({
      id: newEventId(),
      org_id: org.orgId,
      type,
      lead_id: null,
      body: "{}",
      occurred_at: at,
      created_at: at,
      is_test: isTest,
    })
    .execute();
}

async function insertDelivery(
  org: Org,
  endpointId: string,
  status: "pending" | "succeeded" | "failed",
  completedAt: string | null,
): Promise<void> {
  await t.app.database.db
    .insertInto("webhook_deliveries")
    .values({
      id: newId("whd"),
      org_id: org.orgId,
      endpoint_id: endpointId,
      event_id: newEventId(),
      event_type: "message.sent",
      status,
      attempts: status === "pending" ? 0 : 1,
      next_attempt_at: status === "pending" ? NOW : null,
      locked_by: null,
      locked_until: null,
      last_status_code: null,
      last_error: null,
      created_at: completedAt ?? NOW,
      updated_at: completedAt ?? NOW,
      completed_at: completedAt,
    })
    .execute();
}

async function get<TRes = unknown>(org: Org, path: string): Promise<TRes> {
  const res = await t.get<TRes>(path, { key: org.key });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** A spread of rows around the 7-day, today and per-day edges; returns what the org should show. */
async function seedSpread(org: Org): Promise<void> {
  const [l1, l2, l3, l4, gone] = [
    await newLead(org),
    await newLead(org),
    await newLead(org),
    await newLead(org),
    await newLead(org),
  ];
  expect((await t.request("DELETE", `/v1/leads/${gone}`, { key: org.key })).status).toBe(200);

  await sent(org, l1, "2024-01-15T10:00:00.000Z"); // today
  await sent(org, l2, "2024-01-14T23:59:59.999Z"); // yesterday
  await sent(org, l3, "2024-01-10T12:00:00.000Z");
  await sent(org, l4, "2024-01-08T14:00:00.000Z"); // 30 minutes before the 7 days
  await insertMessage(org, l1, { direction: "outbound", status: "queued", at: "2024-01-15T12:00:00.000Z" });
  await insertMessage(org, l1, { direction: "outbound", status: "unknown", at: "2024-01-15T09:00:00.000Z" });

  await received(org, l1, "2024-01-15T11:00:00.000Z"); // after l1's message: a reply
  await received(org, l2, "2024-01-14T12:00:00.000Z"); // before l2's message: not one
  await received(org, l4, "2024-01-12T00:00:00.000Z"); // l4 was messaged before the 7 days

  await insertEvent(org, "optOut", "2024-01-15T12:00:00.000Z");
  await insertEvent(org, "optOut", "2024-01-09T00:00:00.000Z");
  await insertEvent(org, "optOut", "2024-01-01T00:00:00.000Z"); // before the 7 days
  await insertEvent(org, "optOut", "2024-01-15T13:00:00.000Z", 1); // an endpoint test sample
  await insertEvent(org, "message.sent", "2024-01-15T10:00:00.000Z");

  const endpoint = await insertEndpoint(t, org.orgId, "https://example.com/hook");
  await insertDelivery(org, endpoint, "succeeded", "2024-01-15T14:10:00.000Z");
  await insertDelivery(org, endpoint, "succeeded", "2024-01-15T13:05:00.000Z");
  await insertDelivery(org, endpoint, "failed", "2024-01-15T13:30:00.000Z");
  await insertDelivery(org, endpoint, "pending", null);
  await insertDelivery(org, endpoint, "failed", "2024-01-01T00:00:00.000Z"); // before the 7 days
}

describe("GET /v1/stats/*", () => {
  let org: Org;
  let other: Org;

  beforeAll(async () => {
    t.clock.set(NOW);
    org = await newOrg();
    other = await newOrg();
    await seedSpread(org);
    // Another org's rows, at the same times: never counted for the first.
    await seedSpread(other);
    const extra = await newLead(other);
    await sent(other, extra, "2024-01-15T14:00:00.000Z");
    await insertEvent(other, "optOut", "2024-01-15T14:00:00.000Z");
  });

  it("gives the overview's tiles", async () => {
    expect(await get(org, "/v1/stats/overview")).toEqual({
      asOf: NOW,
      leads: 4,
      messagesSentToday: 1,
      messagesSent7d: 3,
      replyRate7d: 1 / 3,
      optOuts7d: 2,
      webhookSuccessRate7d: 2 / 3,
      unknownMessages: 1,
    });
    expect(await get(other, "/v1/stats/overview")).toMatchObject({
      leads: 5,
      messagesSentToday: 2,
      messagesSent7d: 4,
      replyRate7d: 1 / 4,
      optOuts7d: 3,
    });
  });

  it("gives every UTC day with zeros, today last", async () => {
    const body = await get<GetDailyStatsResponse>(org, "/v1/stats/daily?days=9");
    expect(body.days).toEqual([
      { date: "2024-01-07", sent: 0, replies: 0, optOuts: 0 },
      { date: "2024-01-08", sent: 1, replies: 0, optOuts: 0 },
      { date: "2024-01-09", sent: 0, replies: 0, optOuts: 1 },
      { date: "2024-01-10", sent: 1, replies: 0, optOuts: 0 },
      { date: "2024-01-11", sent: 0, replies: 0, optOuts: 0 },
      { date: "2024-01-12", sent: 0, replies: 1, optOuts: 0 },
      { date: "2024-01-13", sent: 0, replies: 0, optOuts: 0 },
      { date: "2024-01-14", sent: 1, replies: 1, optOuts: 0 },
      { date: "2024-01-15", sent: 1, replies: 1, optOuts: 1 },
    ]);
    const month = await get<GetDailyStatsResponse>(org, "/v1/stats/daily");
    expect(month.days).toHaveLength(30);
    expect(month.days[0]?.date).toBe("2023-12-17");
    expect(month.days.at(-1)?.date).toBe("2024-01-15");
    expect(month.days.reduce((total, day) => total + day.sent, 0)).toBe(4);
  });

  it("gives every UTC hour of finished deliveries, the current one last", async () => {
    expect(await get(org, "/v1/stats/deliveries-hourly?hours=3")).toEqual({
      hours: [
        { hour: "2024-01-15T12:00:00.000Z", succeeded: 0, failed: 0 },
        { hour: "2024-01-15T13:00:00.000Z", succeeded: 1, failed: 1 },
        { hour: "2024-01-15T14:00:00.000Z", succeeded: 1, failed: 0 },
      ],
    });
    const twoDays = await get<GetDeliveriesHourlyResponse>(org, "/v1/stats/deliveries-hourly");
    expect(twoDays.hours).toHaveLength(48);
    expect(twoDays.hours[0]?.hour).toBe("2024-01-13T15:00:00.000Z");
  });

  it("scopes the hours to one endpoint of the caller's org", async () => {
    const scoped = await newOrg();
    const first = await insertEndpoint(t, scoped.orgId, "https://example.com/first");
    const second = await insertEndpoint(t, scoped.orgId, "https://example.com/second");
    await insertDelivery(scoped, first, "succeeded", "2024-01-15T14:10:00.000Z");
    await insertDelivery(scoped, first, "failed", "2024-01-15T12:59:59.999Z");
    await insertDelivery(scoped, first, "pending", null);
    await insertDelivery(scoped, first, "succeeded", "2024-01-08T15:00:00.000Z"); // the 168th hour back
    await insertDelivery(scoped, first, "failed", "2024-01-08T14:59:59.999Z"); // just before it
    await insertDelivery(scoped, second, "succeeded", "2024-01-15T14:20:00.000Z");
    await insertDelivery(scoped, second, "succeeded", "2024-01-15T13:10:00.000Z");
    const hours = (query: string) =>
      get<GetDeliveriesHourlyResponse>(scoped, `/v1/stats/deliveries-hourly?${query}`);

    expect(await hours(`hours=3&endpointId=${first}`)).toEqual({
      hours: [
        { hour: "2024-01-15T12:00:00.000Z", succeeded: 0, failed: 1 },
        { hour: "2024-01-15T13:00:00.000Z", succeeded: 0, failed: 0 },
        { hour: "2024-01-15T14:00:00.000Z", succeeded: 1, failed: 0 },
      ],
    });
    expect(await hours(`endpointId=${second}&hours=3`)).toEqual({
      hours: [
        { hour: "2024-01-15T12:00:00.000Z", succeeded: 0, failed: 0 },
        { hour: "2024-01-15T13:00:00.000Z", succeeded: 1, failed: 0 },
        { hour: "2024-01-15T14:00:00.000Z", succeeded: 1, failed: 0 },
      ],
    });
    expect(await hours("hours=3")).toEqual({
      hours: [
        { hour: "2024-01-15T12:00:00.000Z", succeeded: 0, failed: 1 },
        { hour: "2024-01-15T13:00:00.000Z", succeeded: 1, failed: 0 },
        { hour: "2024-01-15T14:00:00.000Z", succeeded: 2, failed: 0 },
      ],
    });
    // A week, as the portal asks for it: the oldest hour counts from its first instant.
    const week = await hours(`hours=168&endpointId=${first}`);
    expect(week.hours).toHaveLength(168);
    expect(week.hours[0]).toEqual({ hour: "2024-01-08T15:00:00.000Z", succeeded: 1, failed: 0 });
    expect(week.hours.reduce((sum, h) => sum + h.succeeded, 0)).toBe(2);
    expect(week.hours.reduce((sum, h) => sum + h.failed, 0)).toBe(1);
  });

  it("answers 404 for another org's endpoint and for an unknown one", async () => {
    const others = await insertEndpoint(t, other.orgId, "https://example.com/other");
    for (const endpointId of [others, newId("whe")]) {
      const res = await t.request("GET", `/v1/stats/deliveries-hourly?endpointId=${endpointId}`, {
        key: org.key,
      });
      expect(res.status, res.text).toBe(404);
      expect(res.body).toMatchObject({ code: "NOT_FOUND", message: expect.any(String) });
    }
    // The owner sees it.
    expect(
      (await t.request("GET", `/v1/stats/deliveries-hourly?endpointId=${others}`, { key: other.key })).status,
    ).toBe(200);
  });

  it("answers an org with nothing yet with zeros and no rates", async () => {
    const empty = await newOrg();
    expect(await get(empty, "/v1/stats/overview")).toEqual({
      asOf: NOW,
      leads: 0,
      messagesSentToday: 0,
      messagesSent7d: 0,
      replyRate7d: null,
      optOuts7d: 0,
      webhookSuccessRate7d: null,
      unknownMessages: 0,
    });
    const daily = await get<GetDailyStatsResponse>(empty, "/v1/stats/daily?days=2");
    expect(daily.days).toEqual([
      { date: "2024-01-14", sent: 0, replies: 0, optOuts: 0 },
      { date: "2024-01-15", sent: 0, replies: 0, optOuts: 0 },
    ]);
  });

  it.each([
    ["days", "/v1/stats/daily?days=0"],
    ["days", "/v1/stats/daily?days=91"],
    ["days", "/v1/stats/daily?days=7.5"],
    ["days", "/v1/stats/daily?days=week"],
    ["hours", "/v1/stats/deliveries-hourly?hours=0"],
    ["hours", "/v1/stats/deliveries-hourly?hours=169"],
    ["hours", "/v1/stats/deliveries-hourly?hours=x"],
    ["endpointId", "/v1/stats/deliveries-hourly?endpointId="],
    ["endpointId", "/v1/stats/deliveries-hourly?endpointId=whe_nope"],
    ["endpointId", `/v1/stats/deliveries-hourly?endpointId=whe_${"A".repeat(32)}`],
    ["endpointId", `/v1/stats/deliveries-hourly?endpointId=${"0".repeat(32)}`],
  ])("refuses a bad %s with 400 naming it (%s)", async (field, url) => {
    const res = await t.request("GET", url, { key: org.key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [expect.objectContaining({ path: field })],
    });
  });

  it("refuses an unknown query parameter and a missing key", async () => {
    const res = await t.request("GET", "/v1/stats/daily?from=2024-01-01", { key: org.key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [{ path: "from" }] });
    for (const path of ["/v1/stats/overview", "/v1/stats/daily", "/v1/stats/deliveries-hourly"]) {
      expect((await t.request("GET", path, { key: null })).status).toBe(403);
    }
  });

  it("is documented in the OpenAPI document", async () => {
    const doc = parseOpenApiDocument((await t.get("/openapi.json", { key: null })).body);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/stats/overview", "/v1/stats/daily", "/v1/stats/deliveries-hourly"]),
    );
    const hourly = doc.paths["/v1/stats/deliveries-hourly"];
    expect(hourly?.get?.parameters?.map((p) => p.name)).toEqual(["hours", "endpointId"]);
  });
});

describe("the overview after real sends, replies, opt-outs and deliveries", () => {
  it("counts what the sender, the inbound routes and the webhook sender wrote", async () => {
    t.clock.set(NOW);
    const org = await newOrg();
    const replier = await newLead(org, "replier@example.com");
    const bouncer = await newLead(org, "bouncer@example.com");
    for (const leadId of [replier, bouncer]) {
      const res = await t.request("POST", `/v1/leads/${leadId}/sendMessage`, {
        key: org.key,
        body: { message: "Hi there", channel: "sms", overrideBusinessHours: true },
      });
      expect(res.status, res.text).toBe(200);
    }
    expect(await t.app.messages.runDue()).toBe(2);

    t.clock.set("2024-01-15T14:40:00.000Z");
    const { inbound_token: token } = await t.app.database.db
      .selectFrom("orgs")
      .select("inbound_token")
      .where("id", "=", org.orgId)
      .executeTakeFirstOrThrow();
    const reply = await t.request("POST", `/inbound/email/${token}`, {
      key: null,
      body: { from: "replier@example.com", to: "in@example.com", subject: "Re", text: "Yes please" },
    });
    expect(reply.status, reply.text).toBeLessThan(300);
    const bounce = await t.request("POST", `/inbound/email/${token}/events`, {
      key: null,
      body: { type: "bounce", recipient: "bouncer@example.com" },
    });
    expect(bounce.body).toEqual({ handled: true });

    // Two endpoint tests (optOut samples, which are not opt-outs): the receiver takes one, fails one.
    const endpoint = await t.post<CreateEndpointResponse>(
      "/v1/webhooks/endpoints",
      { url: receiver.url },
      { key: org.key },
    );
    expect(endpoint.status, endpoint.text).toBe(201);
    const endpointId = endpoint.body.id;
    for (let i = 0; i < 2; i++) {
      const test = await t.request("POST", `/v1/webhooks/endpoints/${endpointId}/test`, {
        key: org.key,
        body: { eventType: "optOut" },
      });
      expect(test.status, test.text).toBe(200);
    }

    expect(await get(org, "/v1/stats/overview")).toEqual({
      asOf: "2024-01-15T14:40:00.000Z",
      leads: 2,
      messagesSentToday: 2,
      messagesSent7d: 2,
      replyRate7d: 0.5,
      optOuts7d: 1,
      webhookSuccessRate7d: 0.5,
      unknownMessages: 0,
    });
    expect(await get(org, "/v1/stats/daily?days=1")).toEqual({
      days: [{ date: "2024-01-15", sent: 2, replies: 1, optOuts: 1 }],
    });
    expect(await get(org, "/v1/stats/deliveries-hourly?hours=1")).toEqual({
      hours: [{ hour: "2024-01-15T14:00:00.000Z", succeeded: 1, failed: 1 }],
    });
  });
});
