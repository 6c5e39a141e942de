import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "3" } });
});
afterAll(() => t.close());

describe("rate limiting per API key", () => {
  it("answers 429 with Retry-After past the key's limit, and counts each key on its own", async () => {
    // The admin key made the orgs: use two fresh keys.
    const [a, b] = [await t.newOrg(), await t.newOrg()];
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.request("GET", "/v1/profiles", { key: a });
      seen.push([res.status, res.headers["x-ratelimit-remaining"]]);
    }
    expect(seen).toEqual([
      [200, "2"],
      [200, "1"],
      [200, "0"],
    ]);
    const limited = await t.request("GET", "/v1/profiles", { key: a });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      message: expect.stringMatching(
        /^Too many requests for this API key: the limit is 3 per minute; retry after \d+ s\.$/,
      ),
      code: "RATE_LIMITED",
      details: [],
    });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    // A refused request changes nothing: creating is refused too, and no profile appears.
    const create = await t.request("POST", "/v1/profiles", { key: a, body: { name: "Late" } });
    expect(create.status).toBe(429);
    // Another key has its own allowance.
    expect((await t.request("GET", "/v1/profiles", { key: b })).status).toBe(200);
    const late = await t.app.database.db
      .selectFrom("profiles")
      .select("id")
      .where("name", "=", "Late")
      .execute();
    expect(late).toEqual([]);
  });

  it("never limits a request whose key is refused (403 first) or the public routes", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await t.request("GET", "/v1/profiles", { key: "lw_not_a_key" })).status).toBe(403);
      expect((await t.request("GET", "/healthz", { key: null })).status).toBe(200);
    }
  });
});
