import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { parseEnvelope } from "../../../../test/envelopes.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { GetLeadResponse } from "./getLead.js";

let t: TestApp;
let key: string;
let phoneCounter = 100;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  const profile = {
    name: "Sequenced",
    emailEnabled: true,
    followUpConfig: { "1": { hours: 24, channel: "text" }, "2": { hours: 48, channel: "text" } },
  };
  expect((await t.request("POST", "/v1/profiles", { key, body: profile })).status).toBe(201);
});
afterAll(() => t.close());

async function newLead(overrides: Record<string, unknown> = {}): Promise<string> {
  return createLead(t, key, {
    firstName: "Ada",
    lastName: "Lovelace",
    phone: `+1 202 555 0${phoneCounter++}`,
    customerProfile: "Sequenced",
    ...overrides,
  });
}

const getLead = async (id: string) => (await t.get<GetLeadResponse>(`/v1/leads/${id}`, { key })).body;
const patch = <TRes = unknown>(id: string, body: unknown) => t.patch<TRes>(`/v1/leads/${id}`, body, { key });

async function eventsOf(leadId: string) {
  return t.app.database.db
    .selectFrom("events")
    .select(["id", "type", "body"])
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
}

describe("PATCH /v1/leads/{leadId}: additionalInfo", () => {
  it("merges (add, replace, delete with null) and emits lead.additionalInfo.updated exactly", async () => {
    const id = await newLead({ additionalInfo: { budget: 100, city: "Paris", keep: true } });
    t.clock.advance(60_000);
    const res = await patch(id, { additionalInfo: { budget: 200, city: null, plan: "pro 🚀" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Lead updated successfully." });
    const lead = await getLead(id);
    expect(lead.additionalInfo).toEqual({ budget: 200, keep: true, plan: "pro 🚀" });
    expect(lead.updatedAt).toBe("2024-01-15T14:31:00.000Z");
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.type).toBe("lead.additionalInfo.updated");
    expect(event?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(event?.body).toBe(
      `{"event":"lead.additionalInfo.updated","eventId":"${event?.id}","data":{"leadId":"${id}","phone":"${lead.phone}",` +
        `"additionalInfo":{"budget":{"old":100,"new":200},"city":{"old":"Paris","new":null},"plan":{"old":null,"new":"pro 🚀"}}},` +
        `"timestamp":"2024-01-15T14:31:00Z"}`,
    );
  });

  it("includes externalLeadId after phone when the lead has one", async () => {
    const id = await newLead({ externalLeadId: "0061a00000ABC" });
    await patch(id, { additionalInfo: { stage: "demo" } });
    const [event] = await eventsOf(id);
    const body = parseEnvelope(event?.body ?? "{}");
    expect(Object.keys(body.data)).toEqual(["leadId", "phone", "externalLeadId", "additionalInfo"]);
    expect(body.data.externalLeadId).toBe("0061a00000ABC");
  });

  it("emits nothing when no key really changes", async () => {
    const id = await newLead({ additionalInfo: { a: 1 } });
    expect((await patch(id, { additionalInfo: { a: 1, gone: null } })).status).toBe(200);
    expect(await eventsOf(id)).toEqual([]);
  });
});

describe("PATCH /v1/leads/{leadId}: fields", () => {
  it("updates plain fields, clears nullable ones and keeps the rest", async () => {
    const id = await newLead({ email: "ada@example.com", timeZone: "Europe/London", externalLeadId: "X1" });
    const res = await patch(id, {
      firstName: "Augusta",
      email: null,
      timeZone: "Asia/Tokyo",
      externalLeadId: null,
      isAiOn: false,
    });
    expect(res.status).toBe(200);
    expect(await getLead(id)).toMatchObject({
      firstName: "Augusta",
      lastName: "Lovelace",
      email: null,
      timeZone: "Asia/Tokyo",
      externalLeadId: null,
      isAiOn: false,
    });
  });

  it.each([
    ["email", { email: "nope" }],
    ["timeZone", { timeZone: "Nowhere/Land" }],
    ["isAiOn", { isAiOn: "yes" }],
    ["phone", { phone: "+12025550100" }],
    ["followUpStep", { followUpStep: 0 }],
    ["followUpStep", { followUpStep: 7 }],
    ["followUpConfig.1.channel", { followUpConfig: { "1": { hours: 1, channel: "call" } } }],
    ["followUpConfig.2", { followUpConfig: { "2": { hours: 1, channel: "text" } } }],
    ["followUpConfig.1.channel", { followUpConfig: { "1": { hours: 1, channel: "email" } } }],
  ])("answers 400 naming %s and changes nothing", async (path, body) => {
    const id = await newLead();
    const before = await getLead(id);
    const res = await patch<ErrorBody>(id, body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
    expect(await getLead(id)).toEqual(before);
  });

  it("refuses removing the email while the lead's config has an email step", async () => {
    const id = await newLead({ email: "ada@example.com" });
    expect((await patch(id, { followUpConfig: { "1": { hours: 2, channel: "email" } } })).status).toBe(200);
    const res = await patch<ErrorBody>(id, { email: null });
    expect(res.status).toBe(400);
    expect(res.body.details[0]?.path).toBe("email");
  });

  it("answers 404 for an unknown, deleted or other org's lead", async () => {
    expect((await patch("00000000-0000-7000-8000-000000000000", { firstName: "X" })).status).toBe(404);
    const id = await newLead();
    await t.request("DELETE", `/v1/leads/${id}`, { key });
    expect((await patch(id, { firstName: "X" })).status).toBe(404);
    const other = await t.newOrg();
    const res = await t.request("PATCH", `/v1/leads/${await newLead()}`, {
      key: other,
      body: { firstName: "X" },
    });
    expect(res.status).toBe(404);
  });
});

describe("PATCH /v1/leads/{leadId}: follow-up timer rules", () => {
  const HOUR = 3_600_000;

  it("step only: that step, due now + its hours", async () => {
    const id = await newLead();
    const now = t.clock.now().getTime();
    expect((await patch(id, { followUpStep: 2 })).status).toBe(200);
    expect(await getLead(id)).toMatchObject({
      followUpStep: 2,
      nextFollowUpAt: new Date(now + 48 * HOUR).toISOString(),
    });
  });

  it("config only: the current step with the new timing", async () => {
    const id = await newLead();
    await patch(id, { followUpStep: 1 });
    t.clock.advance(5 * HOUR);
    const now = t.clock.now().getTime();
    const config = { "1": { hours: 0.5, channel: "text" }, "2": { hours: 3, channel: "text" } };
    expect((await patch(id, { followUpConfig: config })).status).toBe(200);
    expect(await getLead(id)).toMatchObject({
      followUpConfig: config,
      followUpStep: 1,
      nextFollowUpAt: new Date(now + 0.5 * HOUR).toISOString(),
    });
  });

  it("both: a full reset at the given step", async () => {
    const id = await newLead();
    const now = t.clock.now().getTime();
    const config = { "1": { hours: 1, channel: "text" }, "2": { hours: 0.01, channel: "text" } };
    expect((await patch(id, { followUpConfig: config, followUpStep: 2 })).status).toBe(200);
    expect(await getLead(id)).toMatchObject({
      followUpStep: 2,
      nextFollowUpAt: new Date(now + 36_000).toISOString(),
    });
  });

  it("-1 stops and -2 moves to nurture, with no step timer", async () => {
    const id = await newLead();
    await patch(id, { followUpStep: 1 });
    expect((await patch(id, { followUpStep: -1 })).status).toBe(200);
    expect(await getLead(id)).toMatchObject({ followUpStep: -1, nextFollowUpAt: null });
    expect((await patch(id, { followUpStep: -2 })).status).toBe(200);
    expect(await getLead(id)).toMatchObject({ followUpStep: -2, nextFollowUpAt: null });
  });

  it("followUpConfig null returns the lead to its profile's config", async () => {
    const id = await newLead();
    await patch(id, { followUpConfig: { "1": { hours: 5, channel: "text" } } });
    expect((await patch(id, { followUpConfig: null })).status).toBe(200);
    expect((await getLead(id)).followUpConfig).toEqual({
      "1": { hours: 24, channel: "text" },
      "2": { hours: 48, channel: "text" },
    });
  });
});
