import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateProfileResponse } from "../profiles/createProfile.js";
import type { CreateTagResponse } from "../tags/createTag.js";
import type { ListLeadsResponse } from "./listLeads.js";
import type { SearchLeadsResponse } from "./searchLeads.js";

/**
 * GET /v1/leads/search on one org's leads (created in this order, so newest first is the reverse):
 *   ann    Ann Smith      Roofing  +12025550101  ann.smith@example.com  step 1   isHot, tag VIP
 *   bob    Bob Annan      Solar    +12025550102  —                      step -1  hasReplied
 *   carla  Carla Diaz     Roofing  +13035550199  carla@annex.io         step -2  isQualified, tag VIP
 *   dmitri Dmitri Ivanov  Solar    +14155550123  —                      step -1  isUnsubscribed, AI off
 *   quinn  Quinn_Sr Lee   Roofing  +12025550177  —                      step 2   tag Later
 * plus a deleted "Ann Gone" (never listed) and, in another org, "Ann Other" with a Roofing
 * profile and a VIP tag of its own.
 */

let t: TestApp;
let key: string;
let otherKey: string;
const ids: Record<string, string> = {};
let roofingId: string;
let vipTagId: string;
let otherProfileId: string;
let otherTagId: string;

const create = (k: string, body: Record<string, unknown>): Promise<string> => createLead(t, k, body);

async function tag(k: string, name: string): Promise<string> {
  const res = await t.post<CreateTagResponse>("/v1/tags", { name }, { key: k });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function setFlags(id: string | undefined, flags: Record<string, 0 | 1>): Promise<void> {
  await t.app.database.db
    .updateTable("leads")
    .set(flags)
    .where("id", "=", id ?? "")
    .execute();
}

async function search(query: string, k = key): Promise<SearchLeadsResponse> {
  const res = await t.get<SearchLeadsResponse>(`/v1/leads/search${query === "" ? "" : `?${query}`}`, {
    key: k,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The names found, newest first. */
async function names(query: string, k = key): Promise<string[]> {
  return (await search(query, k)).leads.map((lead) => lead.firstName);
}

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  otherKey = await t.newOrg();
  const steps = { 1: { hours: 24, channel: "text" }, 2: { hours: 48, channel: "text" } };
  const roofing = await t.post<CreateProfileResponse>(
    "/v1/profiles",
    { name: "Roofing", followUpConfig: steps },
    { key },
  );
  roofingId = roofing.body.id;
  await t.request("POST", "/v1/profiles", { key, body: { name: "Solar" } });
  const lead = (
    firstName: string,
    lastName: string,
    phone: string,
    customerProfile: string,
    email?: string,
  ) =>
    create(key, { firstName, lastName, phone, customerProfile, ...(email === undefined ? {} : { email }) });

  t.clock.set("2024-03-01T10:00:00.000Z");
  ids.ann = await lead("Ann", "Smith", "+1 202 555 0101", "Roofing", "Ann.Smith@Example.com");
  t.clock.set("2024-03-01T10:01:00.000Z");
  ids.bob = await lead("Bob", "Annan", "+1 (202) 555-0102", "Solar");
  // Carla and Dmitri share a creation time: commit order breaks the tie.
  t.clock.set("2024-03-01T10:02:00.000Z");
  ids.carla = await lead("Carla", "Diaz", "+1 303 555 0199", "Roofing", "carla@annex.io");
  ids.dmitri = await lead("Dmitri", "Ivanov", "+1 415 555 0123", "Solar");
  t.clock.set("2024-03-01T10:03:00.000Z");
  ids.quinn = await lead("Quinn_Sr", "Lee", "+1 202 555 0177", "Roofing");
  const gone = await lead("Ann", "Gone", "+1 202 555 0188", "Roofing");
  expect((await t.request("DELETE", `/v1/leads/${gone}`, { key })).status).toBe(200);

  vipTagId = await tag(key, "VIP");
  const later = await tag(key, "Later");
  for (const [lead, tagIds] of [
    [ids.ann, [vipTagId]],
    [ids.carla, [vipTagId]],
    [ids.quinn, [later]],
  ] as const) {
    const res = await t.request("PUT", `/v1/leads/${lead}/tags`, { key, body: { tagIds } });
    expect(res.status, res.text).toBe(200);
  }
  await setFlags(ids.ann, { is_hot: 1 });
  await setFlags(ids.bob, { has_replied: 1 });
  await setFlags(ids.carla, { is_qualified: 1 });
  await setFlags(ids.dmitri, { is_unsubscribed: 1 });
  for (const [lead, body] of [
    [ids.carla, { followUpStep: -2 }],
    [ids.dmitri, { isAiOn: false }],
    [ids.quinn, { followUpStep: 2 }],
  ] as const) {
    const res = await t.request("PATCH", `/v1/leads/${lead}`, { key, body });
    expect(res.status, res.text).toBe(200);
  }

  const other = await t.post<CreateProfileResponse>("/v1/profiles", { name: "Roofing" }, { key: otherKey });
  otherProfileId = other.body.id;
  otherTagId = await tag(otherKey, "VIP");
  const otherAnn = await create(otherKey, {
    firstName: "Ann",
    lastName: "Other",
    phone: "+1 202 555 0101",
    customerProfile: "Roofing",
    email: "ann.smith@example.com",
  });
  await t.request("PUT", `/v1/leads/${otherAnn}/tags`, { key: otherKey, body: { tagIds: [otherTagId] } });
  await setFlags(otherAnn, { is_hot: 1 });
});
afterAll(() => t.close());

describe("GET /v1/leads/search", () => {
  it("lists the org's live leads newest first (ties in commit order) with every lead field", async () => {
    const page = await search("");
    expect(page.leads.map((l) => l.firstName)).toEqual(["Quinn_Sr", "Dmitri", "Carla", "Bob", "Ann"]);
    expect(page.nextToken).toBeNull();
    expect(page.leads[4]).toMatchObject({
      id: ids.ann,
      lastName: "Smith",
      phone: "+12025550101",
      email: "ann.smith@example.com",
      customerProfile: "Roofing",
      isHot: true,
      tags: [{ id: vipTagId, name: "VIP", condition: null }],
      followUpStep: 1,
      deleted: false,
    });
  });

  it.each([
    ["a first name's prefix, any case, in names and emails", "q=AnN", ["Carla", "Bob", "Ann"]],
    ["text inside a last name", "q=nna", ["Bob"]],
    ["the full name", "q=ann%20smith", ["Ann"]],
    ["the full name with extra spaces", "q=%20Ann%20%20%20Smith%20", ["Ann"]],
    ["an email (stored lowercase)", "q=ANNEX.IO", ["Carla"]],
    ["part of an email", "q=smith%40", ["Ann"]],
    ["phone digits as typed", "q=(202)%20555-01", ["Quinn_Sr", "Bob", "Ann"]],
    ["E.164 phone", "q=%2B14155550123", ["Dmitri"]],
    ["LIKE wildcards literally (_)", "q=n_s", ["Quinn_Sr"]],
    ["LIKE wildcards literally (%)", "q=%25", []],
    ["nothing", "q=zzqx", []],
    ["a blank text as no filter", "q=%20%20", ["Quinn_Sr", "Dmitri", "Carla", "Bob", "Ann"]],
  ])("q matches %s", async (_what, query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it("does not take two digits for a phone number", async () => {
    expect(await names("q=55")).toEqual([]);
  });

  it("filters by profile name or id", async () => {
    expect(await names("profile=Roofing")).toEqual(["Quinn_Sr", "Carla", "Ann"]);
    expect(await names(`profile=${roofingId}`)).toEqual(["Quinn_Sr", "Carla", "Ann"]);
    expect(await names("profile=Solar")).toEqual(["Dmitri", "Bob"]);
  });

  it("filters by tag name or id", async () => {
    expect(await names("tag=VIP")).toEqual(["Carla", "Ann"]);
    expect(await names(`tag=${vipTagId}`)).toEqual(["Carla", "Ann"]);
    expect(await names("tag=Later")).toEqual(["Quinn_Sr"]);
  });

  it.each([
    ["hasReplied=true", ["Bob"]],
    ["hasReplied=false", ["Quinn_Sr", "Dmitri", "Carla", "Ann"]],
    ["isHot=true", ["Ann"]],
    ["isHot=false", ["Quinn_Sr", "Dmitri", "Carla", "Bob"]],
    ["isQualified=true", ["Carla"]],
    ["isUnsubscribed=true", ["Dmitri"]],
    ["isAiOn=false", ["Dmitri"]],
    ["isAiOn=true", ["Quinn_Sr", "Carla", "Bob", "Ann"]],
    ["followUpStep=1", ["Ann"]],
    ["followUpStep=2", ["Quinn_Sr"]],
    ["followUpStep=-1", ["Dmitri", "Bob"]],
    ["followUpStep=-2", ["Carla"]],
  ])("filters by %s", async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it.each([
    ["profile=Roofing&tag=VIP", ["Carla", "Ann"]],
    ["profile=Roofing&tag=VIP&isHot=false", ["Carla"]],
    ["q=ann&profile=Solar", ["Bob"]],
    ["q=ann&hasReplied=false", ["Carla", "Ann"]],
    ["profile=Solar&isAiOn=false&isUnsubscribed=true&followUpStep=-1", ["Dmitri"]],
    ["tag=VIP&followUpStep=-2&isQualified=true&q=diaz", ["Carla"]],
    ["tag=Later&isHot=true", []],
  ])("combines filters: %s", async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it("never shows another org's leads, profiles or tags", async () => {
    expect(await names("q=ann", otherKey)).toEqual(["Ann"]);
    expect((await search("q=ann", otherKey)).leads[0]?.id).not.toBe(ids.ann);
    expect(await names("isHot=true&tag=VIP", otherKey)).toEqual(["Ann"]);
    expect(await names("q=%2B12025550101")).toEqual(["Ann"]);
    expect((await search("q=%2B12025550101")).leads[0]?.id).toBe(ids.ann);
    // The other org's profile and tag ids are unknown here, like any unknown name.
    for (const query of [`profile=${otherProfileId}`, `tag=${otherTagId}`]) {
      const res = await t.request("GET", `/v1/leads/search?${query}`, { key });
      expect(res.status).toBe(400);
    }
  });

  it("pages newest first with nextToken, each lead once, keeping the filters", async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const tokenPart: string = token === null ? "" : `&nextToken=${encodeURIComponent(token)}`;
      const page = await search(`limit=2&isHot=false${tokenPart}`);
      seen.push(...page.leads.map((l) => l.firstName));
      token = page.nextToken;
      pages++;
    } while (token !== null);
    expect(seen).toEqual(["Quinn_Sr", "Dmitri", "Carla", "Bob"]);
    expect(pages).toBe(2);
  });

  it("keeps the next page in place when a lead is added after the first page was read", async () => {
    const first = await search("limit=1&profile=Solar");
    expect(first.leads.map((l) => l.firstName)).toEqual(["Dmitri"]);
    const extra = await create(key, {
      firstName: "Temp",
      lastName: "Lead",
      phone: "+1 202 555 0199",
      customerProfile: "Solar",
    });
    await t.request("DELETE", `/v1/leads/${extra}`, { key });
    const rest = await search(`limit=5&profile=Solar&nextToken=${encodeURIComponent(first.nextToken ?? "")}`);
    expect(rest.leads.map((l) => l.firstName)).toEqual(["Bob"]);
    expect(rest.nextToken).toBeNull();
  });

  it.each([
    ["isHot", "isHot=yes"],
    ["isHot", "isHot=TRUE"],
    ["hasReplied", "hasReplied="],
    ["isQualified", "isQualified=1"],
    ["isUnsubscribed", "isUnsubscribed=true&isUnsubscribed=false"],
    ["isAiOn", "isAiOn=off"],
    ["followUpStep", "followUpStep=0"],
    ["followUpStep", "followUpStep=-3"],
    ["followUpStep", "followUpStep=1.5"],
    ["followUpStep", "followUpStep=one"],
    ["followUpStep", "followUpStep="],
    ["profile", "profile=Nope"],
    ["profile", "profile="],
    ["tag", "tag=Nope"],
    ["q", `q=${"x".repeat(201)}`],
    ["limit", "limit=0"],
    ["limit", "limit=1001"],
    ["nextToken", "nextToken=garbage"],
    ["updatedSince", "updatedSince=2024-01-01T00:00:00Z"],
  ])("answers 400 naming %s for ?%s", async (path, query) => {
    const res = await t.get<ErrorBody>(`/v1/leads/search?${query}`, { key });
    expect(res.status, res.text).toBe(400);
    const body = res.body;
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.details.map((d) => d.path)).toContain(path);
  });

  it("refuses a token of the sync listing", async () => {
    const sync = await t.get<ListLeadsResponse>("/v1/leads?createdSince=2024-01-01T00:00:00Z&limit=1", {
      key,
    });
    const token = sync.body.nextToken ?? "";
    const res = await t.get<ErrorBody>(`/v1/leads/search?nextToken=${encodeURIComponent(token)}`, { key });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toEqual(["nextToken"]);
  });

  it("needs a key", async () => {
    expect((await t.request("GET", "/v1/leads/search", { key: null })).status).toBe(403);
  });
});
