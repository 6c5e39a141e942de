import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  const res = await t.request("POST", "/v1/profiles", { key, body: { name: "Default Profile" } });
  expect(res.status).toBe(201);
});
afterAll(() => t.close());

const lead = (overrides: Record<string, unknown> = {}) => ({
  firstName: "Ada",
  lastName: "Lovelace",
  phone: "+1 (202) 555-0189",
  customerProfile: "Default Profile",
  ...overrides,
});

describe("POST /v1/leads/create", () => {
  it("creates a lead and normalises the phone to E.164", async () => {
    const res = await t.request("POST", "/v1/leads/create", {
      key,
      body: lead({ phone: "+1 (202) 555-0100" }),
    });
    expect(res.status).toBe(200);
    const body = res.body as { message: string; id: string };
    expect(body.message).toBe("Lead created successfully.");
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = await t.request("GET", `/v1/leads/${body.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: body.id,
      phone: "+12025550100",
      customerProfile: "Default Profile",
    });
  });

  it("refuses a missing key with 403", async () => {
    const res = await t.request("POST", "/v1/leads/create", { key: null, body: lead() });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
