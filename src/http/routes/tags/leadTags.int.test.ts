import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { GetLeadResponse } from "../leads/getLead.js";
import type { CreateTagResponse } from "./createTag.js";
import type { ListTagsResponse } from "./listTags.js";
import type { ReplaceLeadTagsResponse } from "./replaceLeadTags.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.clock.set("2024-01-15T14:30:00.000Z"));

interface Org {
  key: string;
  tag(name: string): Promise<string>;
  lead(overrides?: Record<string, unknown>): Promise<string>;
}

/** A fresh org with profile "P", so each test sees only its own leads, tags and events. */
async function newOrg(): Promise<Org> {
  const key = await t.newOrg();
  const profile = await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  expect(profile.status).toBe(201);
  return {
    key,
    async tag(name) {
      const existing = await t.get<ListTagsResponse>("/v1/tags", { key });
      const found = existing.body.tags.find((tag) => tag.name === name);
      if (found !== undefined) return found.id;
      const res = await t.post<CreateTagResponse>("/v1/tags", { name }, { key });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    lead(overrides = {}) {
      const body = { firstName: "Ada", lastName: "Lovelace", phone: "+12025550189", customerProfile: "P" };
      return createLead(t, key, { ...body, ...overrides });
    },
  };
}

async function taggedEvents(leadId: string): Promise<string[]> {
  const rows = await t.app.database.db
    .selectFrom("events")
    .selectAll()
    .where("type", "=", "leadTagged")
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.body);
}

async function allEvents(leadId: string): Promise<number> {
  const rows = await t.app.database.db
    .selectFrom("events")
    .select("id")
    .where("lead_id", "=", leadId)
    .execute();
  return rows.length;
}

async function getLead(org: Org, leadId: string) {
  const res = await t.get<GetLeadResponse>(`/v1/leads/${leadId}`, { key: org.key });
  expect(res.status).toBe(200);
  return res.body;
}

const put = <TRes = ReplaceLeadTagsResponse>(org: Org, leadId: string, body: unknown) =>
  t.put<TRes>(`/v1/leads/${leadId}/tags`, body, { key: org.key });
const remove = (org: Org, leadId: string, body: unknown) =>
  t.request("POST", `/v1/leads/${leadId}/tags/remove`, { key: org.key, body });

describe("PUT /v1/leads/{leadId}/tags", () => {
  it("applies the tags, returns them by name and emits the exact leadTagged body", async () => {
    const org = await newOrg();
    const leadId = await org.lead({ phone: "+1 (202) 555-0189" });
    const vip = await org.tag("VIP");
    const alpha = await org.tag("Alpha");

    const res = await put(org, leadId, { tagIds: [vip, alpha] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tags: [
        { id: alpha, name: "Alpha" },
        { id: vip, name: "VIP" },
      ],
    });
    expect(await taggedEvents(leadId)).toEqual([
      `{"event":"leadTagged","data":{"leadId":"${leadId}","phone":"+12025550189","channel":"manual","tag":"VIP"},"timestamp":"2024-01-15T14:30:00Z"}`,
      `{"event":"leadTagged","data":{"leadId":"${leadId}","phone":"+12025550189","channel":"manual","tag":"Alpha"},"timestamp":"2024-01-15T14:30:00Z"}`,
    ]);
    expect((await getLead(org, leadId)).tags).toEqual([
      { id: alpha, name: "Alpha", condition: null },
      { id: vip, name: "VIP", condition: null },
    ]);
  });

  it("puts externalLeadId between leadId and phone when the lead has one", async () => {
    const org = await newOrg();
    const leadId = await org.lead({ externalLeadId: "crm-42" });
    const vip = await org.tag("VIP");

    expect((await put(org, leadId, { tagIds: [vip] })).status).toBe(200);
    expect(await taggedEvents(leadId)).toEqual([
      `{"event":"leadTagged","data":{"leadId":"${leadId}","externalLeadId":"crm-42","phone":"+12025550189","channel":"manual","tag":"VIP"},"timestamp":"2024-01-15T14:30:00Z"}`,
    ]);
  });

  it("emits only for newly applied tags and nothing for removed ones", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const a = await org.tag("A");
    const b = await org.tag("B");

    await put(org, leadId, { tagIds: [a] });
    expect(await taggedEvents(leadId)).toHaveLength(1);

    const same = await put(org, leadId, { tagIds: [a] });
    expect(same.body).toEqual({ tags: [{ id: a, name: "A" }] });
    expect(await taggedEvents(leadId)).toHaveLength(1);

    await put(org, leadId, { tagIds: [b, a] });
    const events = await taggedEvents(leadId);
    expect(events).toHaveLength(2);
    expect(events[1]).toContain('"tag":"B"');

    const swapped = await put(org, leadId, { tagIds: [b] });
    expect(swapped.body).toEqual({ tags: [{ id: b, name: "B" }] });
    expect(await allEvents(leadId)).toBe(2);

    const cleared = await put(org, leadId, { tagIds: [] });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ tags: [] });
    expect((await getLead(org, leadId)).tags).toEqual([]);
    expect(await allEvents(leadId)).toBe(2);
  });

  it("bumps updatedAt only when the tags change", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const a = await org.tag("A");

    t.clock.set("2024-01-15T15:00:00.000Z");
    await put(org, leadId, { tagIds: [a] });
    expect((await getLead(org, leadId)).updatedAt).toBe("2024-01-15T15:00:00.000Z");

    t.clock.set("2024-01-15T16:00:00.000Z");
    await put(org, leadId, { tagIds: [a] });
    expect((await getLead(org, leadId)).updatedAt).toBe("2024-01-15T15:00:00.000Z");

    await put(org, leadId, { tagIds: [] });
    expect((await getLead(org, leadId)).updatedAt).toBe("2024-01-15T16:00:00.000Z");
  });

  it("sets and clears the lead's boolean for a built-in tag, with leadTagged on apply", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const isHot = await org.tag("isHot");
    const isQualified = await org.tag("isQualified");

    await put(org, leadId, { tagIds: [isHot, isQualified] });
    expect(await getLead(org, leadId)).toMatchObject({ isHot: true, isQualified: true, hasReplied: false });
    expect(await taggedEvents(leadId)).toEqual([
      `{"event":"leadTagged","data":{"leadId":"${leadId}","phone":"+12025550189","channel":"manual","tag":"isHot"},"timestamp":"2024-01-15T14:30:00Z"}`,
      `{"event":"leadTagged","data":{"leadId":"${leadId}","phone":"+12025550189","channel":"manual","tag":"isQualified"},"timestamp":"2024-01-15T14:30:00Z"}`,
    ]);

    await put(org, leadId, { tagIds: [isQualified] });
    expect(await getLead(org, leadId)).toMatchObject({ isHot: false, isQualified: true, hasReplied: false });
  });

  it("changes nothing and emits nothing when a tag id is unknown or another org's", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const a = await org.tag("A");
    const b = await org.tag("B");
    await put(org, leadId, { tagIds: [a] });
    const before = await getLead(org, leadId);
    const foreign = await (await newOrg()).tag("Foreign");
    t.clock.set("2024-01-15T18:00:00.000Z");

    const res = await put(org, leadId, { tagIds: [b, "tag_unknown", a, foreign] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: "Some tagIds are not tags of this organisation.",
      code: "VALIDATION_FAILED",
      details: [
        { path: "tagIds.1", message: "no tag with this id" },
        { path: "tagIds.3", message: "no tag with this id" },
      ],
    });
    expect(await getLead(org, leadId)).toEqual(before);
    expect(await allEvents(leadId)).toBe(1);
  });

  it.each([
    [{}, ["tagIds"]],
    [{ tagIds: "tag_1" }, ["tagIds"]],
    [{ tagIds: [7] }, ["tagIds.0"]],
    [{ tagIds: [""] }, ["tagIds.0"]],
    [{ tagIds: ["tag_1", "tag_2", "tag_1"] }, ["tagIds.2"]],
    [{ tagIds: Array.from({ length: 101 }, (_, i) => `tag_${i}`) }, ["tagIds"]],
    [{ tagIds: [], extra: true }, ["extra"]],
  ])("refuses %j with 400 naming %j", async (body, paths) => {
    const org = await newOrg();
    const leadId = await org.lead();
    const res = await put<ErrorBody>(org, leadId, body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toEqual(paths);
  });

  it("answers 404 for an unknown, deleted or other org's lead", async () => {
    const org = await newOrg();
    const a = await org.tag("A");
    const unknown = await put(org, "0190f3c8-0000-7000-8000-000000000000", { tagIds: [a] });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "NOT_FOUND", message: "Lead not found." });

    const deleted = await org.lead({ phone: "+12025550111" });
    expect((await t.request("DELETE", `/v1/leads/${deleted}`, { key: org.key })).status).toBe(200);
    expect((await put(org, deleted, { tagIds: [a] })).status).toBe(404);

    const other = await newOrg();
    const theirs = await other.lead();
    const theirTag = await other.tag("A");
    expect(
      (await t.request("PUT", `/v1/leads/${theirs}/tags`, { key: org.key, body: { tagIds: [a] } })).status,
    ).toBe(404);
    // Knowing the other org's tag ids does not help: the lead itself stays invisible.
    expect(
      (await t.request("PUT", `/v1/leads/${theirs}/tags`, { key: org.key, body: { tagIds: [theirTag] } }))
        .status,
    ).toBe(404);
    expect((await getLead(other, theirs)).tags).toEqual([]);
    expect(await allEvents(theirs)).toBe(0);
    expect(await allEvents(deleted)).toBe(0);
  });

  it("refuses a missing key with 403", async () => {
    const res = await t.request("PUT", "/v1/leads/x/tags", { key: null, body: { tagIds: [] } });
    expect(res.status).toBe(403);
  });
});

describe("POST /v1/leads/{leadId}/tags/remove", () => {
  it("removes the given tags, returns the rest and emits nothing", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const a = await org.tag("A");
    const b = await org.tag("B");
    const c = await org.tag("C");
    const unused = await org.tag("Unused");
    await put(org, leadId, { tagIds: [a, b, c] });
    t.clock.set("2024-01-15T15:00:00.000Z");

    const res = await remove(org, leadId, { tagIds: [b, unused] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tags: [
        { id: a, name: "A" },
        { id: c, name: "C" },
      ],
    });
    const lead = await getLead(org, leadId);
    expect(lead.tags.map((tag) => tag.name)).toEqual(["A", "C"]);
    expect(lead.updatedAt).toBe("2024-01-15T15:00:00.000Z");
    expect(await allEvents(leadId)).toBe(3);

    t.clock.set("2024-01-15T16:00:00.000Z");
    const again = await remove(org, leadId, { tagIds: [unused] });
    expect(again.body).toEqual(res.body);
    expect((await getLead(org, leadId)).updatedAt).toBe("2024-01-15T15:00:00.000Z");
  });

  it("clears the lead's boolean when a built-in tag is removed", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const hasReplied = await org.tag("hasReplied");
    const vip = await org.tag("VIP");
    await put(org, leadId, { tagIds: [hasReplied, vip] });
    expect((await getLead(org, leadId)).hasReplied).toBe(true);

    const res = await remove(org, leadId, { tagIds: [hasReplied] });
    expect(res.body).toEqual({ tags: [{ id: vip, name: "VIP" }] });
    expect((await getLead(org, leadId)).hasReplied).toBe(false);
  });

  it("refuses unknown or another org's tag ids with 400 and changes nothing", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const a = await org.tag("A");
    await put(org, leadId, { tagIds: [a] });
    const foreign = await (await newOrg()).tag("A");

    const res = await remove(org, leadId, { tagIds: [a, foreign] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "tagIds.1", message: "no tag with this id" }],
    });
    expect((await getLead(org, leadId)).tags.map((tag) => tag.id)).toEqual([a]);
  });

  it("refuses a missing tagIds with 400", async () => {
    const org = await newOrg();
    const leadId = await org.lead();
    const res = await remove(org, leadId, {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [{ path: "tagIds" }] });
  });

  it("answers 404 for another org's lead and leaves its tags alone", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const theirs = await other.lead();
    const theirTag = await other.tag("A");
    await put(other, theirs, { tagIds: [theirTag] });
    const mine = await org.tag("A");

    expect((await remove(org, theirs, { tagIds: [mine] })).status).toBe(404);
    expect((await getLead(other, theirs)).tags.map((tag) => tag.id)).toEqual([theirTag]);
  });
});
