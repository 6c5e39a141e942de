import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateOrgResponse } from "../orgs/createOrg.js";
import type { CreateLeadResponse } from "./createLead.js";

let t: TestApp;
let key: string;
let phoneCounter = 100;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  const res = await t.request("POST", "/v1/profiles", { key, body: { name: "Default Profile" } });
  expect(res.status).toBe(201);
});
afterAll(() => t.close());

/** A valid body with a phone no other test uses. */
const lead = (overrides: Record<string, unknown> = {}) => ({
  firstName: "Ada",
  lastName: "Lovelace",
  phone: `+1 (202) 555-0${phoneCounter++}`,
  customerProfile: "Default Profile",
  ...overrides,
});

/** POST /v1/leads/create as the org of `k`. */
const create = <TRes = CreateLeadResponse>(body: unknown, k = key) =>
  t.post<TRes>("/v1/leads/create", body, { key: k });

async function leadCount(): Promise<number> {
  const rows = await t.app.database.db.selectFrom("leads").select("id").execute();
  return rows.length;
}

describe("POST /v1/leads/create", () => {
  it("creates a lead with every field and returns it from GET exactly", async () => {
    const res = await create(
      lead({
        phone: "+1 (202) 555-0189",
        email: "Ada@Example.com",
        timeZone: "America/New_York",
        externalLeadId: "003XX000004DHPY",
        additionalInfo: { budget: 250000, city: "Boston", dropped: null },
      }),
    );
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.message).toBe("Lead created successfully.");
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = await t.request("GET", `/v1/leads/${body.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: body.id,
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+12025550189",
      email: "ada@example.com",
      timeZone: "America/New_York",
      customerProfile: "Default Profile",
      externalLeadId: "003XX000004DHPY",
      createdAt: "2024-01-15T14:30:00.000Z",
      updatedAt: "2024-01-15T14:30:00.000Z",
      lastActivityAt: null,
      additionalInfo: { budget: 250000, city: "Boston" },
      hasReplied: false,
      isHot: false,
      isQualified: false,
      isUnsubscribed: false,
      isAiOn: true,
      tags: [],
      summary: null,
      followUpConfig: {},
      followUpStep: -1,
      nextFollowUpAt: null,
      deleted: false,
      deletedAt: null,
    });
  });

  it("answers 409 with the existing lead's id for a duplicate phone in any accepted format", async () => {
    const first = await create(lead({ phone: "+1 202 555 0142" }));
    expect(first.status).toBe(200);
    const again = await create(lead({ phone: "+1 (202) 555-0142" }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "DUPLICATE_PHONE", id: first.body.id });
  });

  it("frees a deleted lead's phone for a new lead", async () => {
    const first = await create(lead({ phone: "+1 202 555 0143" }));
    const id = first.body.id;
    expect((await t.request("DELETE", `/v1/leads/${id}`, { key })).status).toBe(200);
    const second = await create(lead({ phone: "+1 202 555 0143" }));
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(id);
  });

  it.each([
    ["phone", { phone: "12345" }],
    ["phone", { phone: "+999" }],
    ["phone", { phone: "" }],
    ["phone", { phone: 12025550189 }],
    ["timeZone", { timeZone: "Mars/Olympus" }],
    ["timeZone", { timeZone: "UTC+3" }],
    ["email", { email: "not-an-email" }],
    ["email", { email: "a@b" }],
    ["firstName", { firstName: "" }],
    ["firstName", { firstName: "   " }],
    ["lastName", { lastName: undefined }],
    ["customerProfile", { customerProfile: "No Such Profile" }],
    ["additionalInfo", { additionalInfo: ["not", "an", "object"] }],
    ["externalLeadId", { externalLeadId: 42 }],
    ["nickname", { nickname: "Ada" }],
  ])("answers 400 naming %s and stores nothing", async (path, overrides) => {
    const before = await leadCount();
    const res = await create<ErrorBody>(lead(overrides));
    expect(res.status).toBe(400);
    const body = res.body;
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.details.map((d) => d.path)).toContain(path);
    expect(await leadCount()).toBe(before);
  });

  it("answers 400 for malformed JSON and for a non-object body", async () => {
    const bad = await t.app.http.inject({
      method: "POST",
      url: "/v1/leads/create",
      headers: { "x-api-key": key, "content-type": "application/json" },
      payload: '{"firstName": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "INVALID_JSON" });
    const array = await t.request("POST", "/v1/leads/create", { key, body: [1, 2] });
    expect(array.status).toBe(400);
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const res = await t.request("POST", "/v1/leads/create", {
      key,
      body: lead({ additionalInfo: { blob: "x".repeat(1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses a missing or unknown key with 403", async () => {
    const missing = await t.request("POST", "/v1/leads/create", { key: null, body: lead() });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: "UNAUTHORIZED" });
    const unknown = await t.request("POST", "/v1/leads/create", { key: "lw_nope", body: lead() });
    expect(unknown.status).toBe(403);
  });

  it("accepts exactly one of 50 parallel creates with the same phone; the rest get 409 with its id", async () => {
    const body = lead({ phone: "+1 (202) 555-0177" });
    const results = await Promise.all(Array.from({ length: 50 }, () => create(body)));
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    const id = ok[0]?.body.id;
    expect(id).toBeDefined();
    for (const c of conflicts) expect(c.body).toMatchObject({ code: "DUPLICATE_PHONE", id });
  });

  it("enforces the org's lead limit", async () => {
    const res = await t.post<CreateOrgResponse>("/v1/orgs", { name: "limited", leadLimit: 1 });
    const limitedKey = res.body.apiKey.key;
    await t.request("POST", "/v1/profiles", { key: limitedKey, body: { name: "P" } });
    const first = await t.request("POST", "/v1/leads/create", {
      key: limitedKey,
      body: lead({ customerProfile: "P" }),
    });
    expect(first.status).toBe(200);
    const second = await t.request("POST", "/v1/leads/create", {
      key: limitedKey,
      body: lead({ customerProfile: "P" }),
    });
    expect(second.status).toBe(403);
    expect(second.body).toMatchObject({ code: "LEAD_LIMIT_REACHED" });
  });
});
