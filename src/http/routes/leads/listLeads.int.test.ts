import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { GetLeadResponse } from "./getLead.js";
import type { ListLeadsResponse } from "./listLeads.js";
import type { LookupLeadResponse } from "./lookupLead.js";

let t: TestApp;
let key: string;
let phoneCounter = 100;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
});
afterAll(() => t.close());

async function newLead(): Promise<string> {
  const phone = `+1 202 555 0${phoneCounter++}`;
  return createLead(t, key, { firstName: "A", lastName: "B", phone, customerProfile: "P" });
}

/** The lead's phone as stored (E.164). */
async function phoneOf(id: string): Promise<string> {
  return (await t.get<GetLeadResponse>(`/v1/leads/${id}`, { key })).body.phone;
}

async function listAll(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const tokenPart: string = token === null ? "" : `&nextToken=${encodeURIComponent(token)}`;
    const res = await t.get<ListLeadsResponse>(`/v1/leads?${query}&limit=${limit}${tokenPart}`, { key });
    expect(res.status).toBe(200);
    const page = res.body;
    ids.push(...page.leads.map((l) => l.id));
    token = page.nextToken;
    pages++;
  } while (token !== null);
  return { ids, pages };
}

describe("GET /v1/leads", () => {
  it("pages through ties on the timestamp by id, each lead exactly once, in order", async () => {
    t.clock.set("2024-02-01T00:00:00.000Z");
    const tied = [];
    for (let i = 0; i < 7; i++) tied.push(await newLead());
    t.clock.set("2024-02-01T00:00:01.000Z");
    const later = await newLead();
    const { ids, pages } = await listAll("createdSince=2024-02-01T00:00:00Z", 2);
    expect(ids).toEqual([...[...tied].sort(), later]);
    expect(pages).toBe(4);
  });

  it("orders by updatedAt for updatedSince, includes deleted leads and honours the since bound", async () => {
    t.clock.set("2024-03-01T00:00:00.000Z");
    const a = await newLead();
    const b = await newLead();
    t.clock.set("2024-03-01T00:00:05.000Z");
    await t.request("PATCH", `/v1/leads/${a}`, { key, body: { firstName: "Z" } });
    t.clock.set("2024-03-01T00:00:09.000Z");
    await t.request("DELETE", `/v1/leads/${b}`, { key });
    const res = await t.get<ListLeadsResponse>("/v1/leads?updatedSince=2024-03-01T00:00:01Z", { key });
    const page = res.body;
    expect(page.leads.map((l) => [l.id, l.updatedAt, l.deleted])).toEqual([
      [a, "2024-03-01T00:00:05.000Z", false],
      [b, "2024-03-01T00:00:09.000Z", true],
    ]);
    expect(page.nextToken).toBeNull();
  });

  it("accepts offsets in since and filters by both timestamps together", async () => {
    t.clock.set("2024-04-01T12:00:00.000Z");
    const id = await newLead();
    const res = await t.get<ListLeadsResponse>(
      "/v1/leads?createdSince=2024-04-01T13:00:00%2B01:00&updatedSince=2024-04-01T11:00:00Z",
      { key },
    );
    expect(res.body.leads.map((l) => l.id)).toEqual([id]);
  });

  it.each([
    ["updatedSince", ""],
    ["updatedSince", "updatedSince=yesterday"],
    ["limit", "updatedSince=2024-01-01T00:00:00Z&limit=0"],
    ["limit", "updatedSince=2024-01-01T00:00:00Z&limit=1001"],
    ["nextToken", "updatedSince=2024-01-01T00:00:00Z&nextToken=garbage"],
    ["sort", "updatedSince=2024-01-01T00:00:00Z&sort=asc"],
  ])("answers 400 naming %s for ?%s", async (path, query) => {
    const res = await t.get<ErrorBody>(`/v1/leads?${query}`, { key });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });

  it("refuses a token minted for the other ordering", async () => {
    t.clock.set("2024-05-01T00:00:00.000Z");
    await newLead();
    await newLead();
    const first = await t.get<ListLeadsResponse>("/v1/leads?createdSince=2024-05-01T00:00:00Z&limit=1", {
      key,
    });
    const token = first.body.nextToken ?? "";
    const res = await t.request("GET", `/v1/leads?updatedSince=2024-05-01T00:00:00Z&nextToken=${token}`, {
      key,
    });
    expect(res.status).toBe(400);
  });
});

describe("GET /v1/leads/lookup", () => {
  it("finds the live lead by phone in any accepted format", async () => {
    const id = await newLead();
    const phone = await phoneOf(id);
    const pretty = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    const res = await t.get<LookupLeadResponse>(`/v1/leads/lookup?phone=${encodeURIComponent(pretty)}`, {
      key,
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
  });

  it("answers 404 for an unknown or deleted phone and 400 for a bad one", async () => {
    expect((await t.request("GET", "/v1/leads/lookup?phone=%2B12025559999", { key })).status).toBe(404);
    const id = await newLead();
    const phone = await phoneOf(id);
    await t.request("DELETE", `/v1/leads/${id}`, { key });
    expect(
      (await t.request("GET", `/v1/leads/lookup?phone=${encodeURIComponent(phone)}`, { key })).status,
    ).toBe(404);
    const bad = await t.get<ErrorBody>("/v1/leads/lookup?phone=12345", { key });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]?.path).toBe("phone");
  });
});

describe("DELETE /v1/leads/{leadId}", () => {
  it("soft-deletes: GET still answers with deleted: true and follow-ups stopped; a second delete is 404", async () => {
    t.clock.set("2024-06-01T00:00:00.000Z");
    const id = await newLead();
    t.clock.set("2024-06-01T00:01:00.000Z");
    const res = await t.request("DELETE", `/v1/leads/${id}`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Lead deleted successfully." });
    const got = await t.request("GET", `/v1/leads/${id}`, { key });
    expect(got.body).toMatchObject({
      deleted: true,
      deletedAt: "2024-06-01T00:01:00.000Z",
      updatedAt: "2024-06-01T00:01:00.000Z",
      followUpStep: -1,
      nextFollowUpAt: null,
    });
    expect((await t.request("DELETE", `/v1/leads/${id}`, { key })).status).toBe(404);
  });
});
