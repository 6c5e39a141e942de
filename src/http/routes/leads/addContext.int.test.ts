import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { GetLeadResponse } from "./getLead.js";
import type { ListLeadTimelineResponse } from "./listLeadTimeline.js";

let t: TestApp;
let key: string;
let leadId: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  leadId = await createLead(t, key, {
    firstName: "A",
    lastName: "B",
    phone: "+12025550100",
    customerProfile: "P",
    additionalInfo: { stage: "new" },
  });
});
afterAll(() => t.close());

const timeline = (query: string) =>
  t.get<ListLeadTimelineResponse>(`/v1/leads/${leadId}/events?${query}`, { key });

describe("POST /v1/leads/{leadId}/addContext and GET /v1/leads/{leadId}/events", () => {
  it("keeps context on the timeline, merges additionalInfo with its event, answers Success", async () => {
    t.clock.set("2024-01-16T09:00:00.000Z");
    const res = await t.request("POST", `/v1/leads/${leadId}/addContext`, {
      key,
      body: { context: "Called the office, prefers mornings ☀️", additionalInfo: { stage: "qualified" } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Success" });

    const lead = await t.get<GetLeadResponse>(`/v1/leads/${leadId}`, { key });
    expect(lead.body.additionalInfo).toEqual({ stage: "qualified" });
    const events = await t.app.database.db
      .selectFrom("events")
      .select("type")
      .where("lead_id", "=", leadId)
      .execute();
    expect(events.map((e) => e.type)).toEqual(["lead.additionalInfo.updated"]);

    const listed = await timeline("since=2024-01-01T00:00:00Z");
    expect(listed.status).toBe(200);
    const body = listed.body;
    expect(body.nextToken).toBeNull();
    expect(body.events).toHaveLength(1);
    expect(body.events[0]).toMatchObject({
      roomId: leadId,
      type: "CUSTOM",
      timestamp: "2024-01-16T09:00:00.000Z",
      updatedAt: "2024-01-16T09:00:00.000Z",
      data: { context: "Called the office, prefers mornings ☀️" },
    });
  });

  it("pages the timeline and filters by type and since", async () => {
    t.clock.set("2024-02-01T00:00:00.000Z");
    for (let i = 0; i < 3; i++) {
      await t.request("POST", `/v1/leads/${leadId}/addContext`, { key, body: { context: `step ${i}` } });
    }
    const first = await timeline("since=2024-02-01T00:00:00Z&limit=2&types=CUSTOM");
    const page1 = first.body;
    expect(page1.events).toHaveLength(2);
    const second = await timeline(
      `since=2024-02-01T00:00:00Z&limit=2&types=CUSTOM&nextToken=${page1.nextToken}`,
    );
    const page2 = second.body;
    expect(page2.nextToken).toBeNull();
    expect([...page1.events, ...page2.events].map((e) => e.data)).toEqual([
      { context: "step 0" },
      { context: "step 1" },
      { context: "step 2" },
    ]);
    const none = await timeline("since=2024-02-01T00:00:00Z&types=MESSAGE,EMAIL");
    expect(none.body.events).toEqual([]);
  });

  it.each([
    ["context", {}],
    ["context", { context: "" }],
    ["additionalInfo", { additionalInfo: "x" }],
    ["mood", { mood: "happy" }],
  ])("answers 400 naming %s", async (path, body) => {
    const res = await t.post<ErrorBody>(`/v1/leads/${leadId}/addContext`, body, { key });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });

  it.each([
    ["since", ""],
    ["since", "since=soon"],
    ["types.1", "since=2024-01-01T00:00:00Z&types=MESSAGE,SMOKE"],
  ])("timeline answers 400 naming %s", async (path, query) => {
    const res = await t.get<ErrorBody>(`/v1/leads/${leadId}/events?${query}`, { key });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });

  it("another org sees 404 for both", async () => {
    const other = await t.newOrg();
    expect(
      (await t.request("POST", `/v1/leads/${leadId}/addContext`, { key: other, body: { context: "x" } }))
        .status,
    ).toBe(404);
    expect(
      (await t.request("GET", `/v1/leads/${leadId}/events?since=2024-01-01T00:00:00Z`, { key: other }))
        .status,
    ).toBe(404);
  });
});
