import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";
import { MAX_JSON_DEPTH } from "./inputGuards.js";

let t: TestApp;
let key: string;
let leadId: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  const res = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "Ada", lastName: "Byron", phone: "+12025550100", customerProfile: "P" },
  });
  leadId = (res.body as { id: string }).id;
});
afterAll(() => t.close());

interface ErrorShape {
  message: string;
  code: string;
  details: { path: string; message: string }[];
}

function expectRefused(res: { status: number; body: unknown }, path: string | RegExp): ErrorShape {
  expect(res.status).toBe(400);
  const body = res.body as ErrorShape;
  expect(Object.keys(body).sort()).toEqual(["code", "details", "message"]);
  expect(body.code).toBe("VALIDATION_FAILED");
  expect(body.details[0]?.path).toMatch(path);
  return body;
}

function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

async function leadNow(): Promise<Record<string, unknown>> {
  const res = await t.request("GET", `/v1/leads/${leadId}`, { key });
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

describe("input the two backends would treat differently is refused the same way", () => {
  it("refuses a NUL character in a body string, naming the field, and creates nothing", async () => {
    const res = await t.request("POST", "/v1/tags", { key, body: { name: "a\u0000b" } });
    expectRefused(res, /^name$/);
    const tags = await t.request("GET", "/v1/tags", { key });
    expect(JSON.stringify(tags.body)).not.toContain("a\\u0000b");
  });

  it("refuses a NUL character in a path parameter", async () => {
    expectRefused(await t.request("GET", "/v1/leads/%00", { key }), /^leadId$/);
    expectRefused(await t.request("GET", "/v1/leads/a%00b", { key }), /^leadId$/);
  });

  it("refuses a NUL character in an object key inside additionalInfo", async () => {
    const before = await leadNow();
    const res = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key,
      body: { additionalInfo: { "bad\u0000key": 1 } },
    });
    const body = expectRefused(res, /^additionalInfo\.bad/);
    expect(body.details[0]?.message).toMatch(/NUL/);
    expect(await leadNow()).toEqual(before);
  });

  it("refuses a lone UTF-16 surrogate", async () => {
    const res = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key,
      body: { firstName: "Ad\ud800a" },
    });
    expectRefused(res, /^firstName$/);
    expect((await leadNow()).firstName).toBe("Ada");
  });

  it("accepts a well-formed astral character (a surrogate pair)", async () => {
    const res = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key,
      body: { additionalInfo: { note: "🏠 ready" } },
    });
    expect(res.status).toBe(200);
    expect((await leadNow()).additionalInfo).toMatchObject({ note: "🏠 ready" });
  });
});

describe("nesting", () => {
  it(`refuses additionalInfo nested about 1,300 levels deep with a 400, not a 500`, async () => {
    const before = await leadNow();
    const res = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key,
      body: { additionalInfo: { deep: nested(1300) } },
    });
    const body = expectRefused(res, /^additionalInfo\.deep/);
    expect(body.details[0]?.message).toContain(String(MAX_JSON_DEPTH));
    expect(await leadNow()).toEqual(before);
  });

  it("accepts a value nested well within the limit", async () => {
    const res = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key,
      body: { additionalInfo: { tree: nested(MAX_JSON_DEPTH - 4) } },
    });
    expect(res.status).toBe(200);
  });
});

describe("errors raised while routing leave in the error shape", () => {
  it("answers an id of 8,000 characters with a 400 naming it, without echoing it", async () => {
    const long = "x".repeat(8000);
    const res = await t.request("GET", `/v1/leads/${long}`, { key });
    expectRefused(res, /^leadId$/);
    expect(JSON.stringify(res.body)).not.toContain("x".repeat(200));
  });

  it("answers an unknown path of 40,000 characters with a 404 that does not echo it", async () => {
    const res = await t.request("GET", `/v1/nothing/${"y".repeat(40_000)}/here`, { key });
    expect(res.status).toBe(404);
    expect(Object.keys(res.body as object).sort()).toEqual(["code", "details", "message"]);
    expect(res.text.length).toBeLessThan(400);
  });

  it.each(["%FF%FE", "%", "abc%zz"])("answers the bad percent-encoding %j with a 400", async (id) => {
    const res = await t.request("GET", `/v1/leads/${id}`, { key });
    expectRefused(res, /^url$/);
  });
});

describe("sendMessage", () => {
  it("refuses a message of only whitespace and queues nothing", async () => {
    const res = await t.request("POST", `/v1/leads/${leadId}/sendMessage`, {
      key,
      body: { message: "  \n\t " },
    });
    expectRefused(res, /^message$/);
    const messages = await t.request("GET", `/v1/messages?leadId=${leadId}`, { key });
    expect(JSON.stringify(messages.body)).not.toContain("\\n\\t");
  });
});
