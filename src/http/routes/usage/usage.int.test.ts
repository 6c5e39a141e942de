import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead as createLeadAs } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { CreateOrgResponse } from "../orgs/createOrg.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function withProfile(key: string): Promise<string> {
  const res = await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  expect(res.status).toBe(201);
  return key;
}

function createLead(key: string, phone: string): Promise<string> {
  return createLeadAs(t, key, { firstName: "Ada", lastName: "Lovelace", phone, customerProfile: "P" });
}

async function usage(key: string) {
  const res = await t.request("GET", "/v1/usage", { key });
  expect(res.status).toBe(200);
  return res.body;
}

describe("GET /v1/usage", () => {
  it("counts live leads against an unlimited org as limit null", async () => {
    const key = await withProfile(await t.newOrg());
    expect(await usage(key)).toEqual({ leads: { current: 0, limit: null } });

    await createLead(key, "+12025550101");
    const deleted = await createLead(key, "+12025550102");
    await createLead(key, "+12025550103");
    expect(await usage(key)).toEqual({ leads: { current: 3, limit: null } });

    expect((await t.request("DELETE", `/v1/leads/${deleted}`, { key })).status).toBe(200);
    expect(await usage(key)).toEqual({ leads: { current: 2, limit: null } });
  });

  it("reports the org's lead limit", async () => {
    const org = await t.post<CreateOrgResponse>("/v1/orgs", { name: "limited", leadLimit: 5 });
    expect(org.status).toBe(201);
    const key = await withProfile(org.body.apiKey.key);
    await createLead(key, "+12025550111");
    expect(await usage(key)).toEqual({ leads: { current: 1, limit: 5 } });
  });

  it("counts only the caller's org", async () => {
    const mine = await withProfile(await t.newOrg());
    const other = await withProfile(await t.newOrg());
    await createLead(other, "+12025550121");
    await createLead(other, "+12025550122");
    await createLead(mine, "+12025550121");
    expect(await usage(mine)).toEqual({ leads: { current: 1, limit: null } });
    expect(await usage(other)).toEqual({ leads: { current: 2, limit: null } });
  });

  it("refuses a missing key with 403", async () => {
    expect((await t.request("GET", "/v1/usage", { key: null })).status).toBe(403);
  });
});
