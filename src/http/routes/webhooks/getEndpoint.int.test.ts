import { describe, expect, it } from "vitest";
import { createEndpoint } from "../../../../test/endpointFixtures.js";
import { testAppForFile } from "../../../../test/harness.js";

const t = testAppForFile();

describe("GET /v1/webhooks/endpoints/{id}: tenant isolation", () => {
  it("another org gets 404 for every operation and sees none of them", async () => {
    const endpoint = await createEndpoint(t, t.key, { description: "private" });
    const other = await t.newOrg();
    const base = `/v1/webhooks/endpoints/${endpoint.id}`;
    const attempts: [string, string, unknown][] = [
      ["GET", base, undefined],
      ["PATCH", base, { description: "x" }],
      ["DELETE", base, undefined],
      ["POST", `${base}/rotate-secret`, {}],
      ["POST", `${base}/test`, {}],
      ["POST", `${base}/recover`, { since: "2024-01-01T00:00:00Z" }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.request(method, url, { key: other, body });
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect((await t.get("/v1/webhooks/endpoints", { key: other })).body).toEqual({
      endpoints: [],
    });
    expect((await t.get(base, { key: t.key })).body).toMatchObject({ description: "private" });
  });
});
