import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
});
afterAll(() => t.close());

const path = (phone: string) => `/v1/dnc/${encodeURIComponent(phone)}`;

async function register(phone: unknown, withKey = key) {
  return t.request("POST", "/v1/dnc/register", { key: withKey, body: { phone } });
}

describe("POST /v1/dnc/register", () => {
  it("adds a number in any accepted format, stored as E.164", async () => {
    const res = await register("+1 (202) 555-0189");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Phone number successfully added to DNC list" });

    const check = await t.request("GET", path("+12025550189"), { key });
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ phone: "+12025550189", onList: true, addedAt: "2024-01-15T14:30:00.000Z" });
  });

  it("is idempotent and keeps the first addedAt", async () => {
    expect((await register("+12025550150")).status).toBe(200);
    t.clock.advance(3_600_000);
    const again = await register("+1 202-555-0150");
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ message: "Phone number successfully added to DNC list" });
    const check = await t.request("GET", path("+12025550150"), { key });
    expect(check.body).toMatchObject({ onList: true, addedAt: "2024-01-15T14:30:00.000Z" });
    t.clock.set("2024-01-15T14:30:00.000Z");
  });

  it.each([
    [{}],
    [{ phone: "2025550189" }],
    [{ phone: "+1 abc" }],
    [{ phone: "+1" }],
    [{ phone: 12025550189 }],
  ])("refuses %j with 400 naming phone", async (body) => {
    const res = await t.request("POST", "/v1/dnc/register", { key, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "phone" }] });
  });

  it("refuses unknown fields with 400", async () => {
    const res = await t.request("POST", "/v1/dnc/register", { key, body: { phone: "+12025550189", x: 1 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [{ path: "x" }] });
  });

  it("refuses a missing key with 403", async () => {
    const res = await t.request("POST", "/v1/dnc/register", { key: null, body: { phone: "+12025550189" } });
    expect(res.status).toBe(403);
  });
});

describe("GET /v1/dnc/{phone}", () => {
  it("answers onList false with addedAt null for a number not listed", async () => {
    const res = await t.request("GET", path("+1 (202) 555-0177"), { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phone: "+12025550177", onList: false, addedAt: null });
  });

  it("accepts the number in another format than it was registered in", async () => {
    await register("+12025550160");
    const res = await t.request("GET", path("+1 (202) 555-0160"), { key });
    expect(res.body).toEqual({ phone: "+12025550160", onList: true, addedAt: "2024-01-15T14:30:00.000Z" });
  });

  it("refuses an invalid phone with 400 naming phone", async () => {
    const res = await t.request("GET", path("not-a-phone"), { key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "phone" }] });
  });
});

describe("DELETE /v1/dnc/{phone}", () => {
  it("removes a listed number given in any format", async () => {
    await register("+12025550170");
    const res = await t.request("DELETE", path("+1 (202) 555-0170"), { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Phone number removed from DNC list" });
    const check = await t.request("GET", path("+12025550170"), { key });
    expect(check.body).toEqual({ phone: "+12025550170", onList: false, addedAt: null });
  });

  it("answers 404 for a number that is not listed", async () => {
    const res = await t.request("DELETE", path("+12025550171"), { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      message: "Phone number is not on the DNC list.",
      code: "NOT_FOUND",
      details: [],
    });
  });

  it("refuses an invalid phone with 400 naming phone", async () => {
    const res = await t.request("DELETE", path("12"), { key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [{ path: "phone" }] });
  });
});

describe("tenant isolation", () => {
  it("keeps each org's list to itself", async () => {
    const other = await t.newOrg();
    await register("+12025550180", other);

    const mine = await t.request("GET", path("+12025550180"), { key });
    expect(mine.body).toEqual({ phone: "+12025550180", onList: false, addedAt: null });
    expect((await t.request("DELETE", path("+12025550180"), { key })).status).toBe(404);

    const theirs = await t.request("GET", path("+12025550180"), { key: other });
    expect(theirs.body).toMatchObject({ onList: true });

    await register("+12025550180");
    expect((await t.request("DELETE", path("+12025550180"), { key })).status).toBe(200);
    expect((await t.request("GET", path("+12025550180"), { key: other })).body).toMatchObject({
      onList: true,
    });
  });
});
