import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollUntil } from "../../../test/chaos/api.js";
import { freshDatabase, startTestApp, type TestApp, type TestDatabase } from "../../../test/harness.js";
import type { CreateApiKeyResponse } from "../../http/routes/apiKeys/createApiKey.js";

// Two API processes on one PostgreSQL, each caching the keys it has seen (apiKeyCache.ts). Their
// clocks stand still, so no cache entry ever expires here: only the revocation's NOTIFY can make
// the other process forget a key it has already let in.

let database: TestDatabase;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  database = freshDatabase();
  a = await startTestApp({ database });
  b = await startTestApp({ database });
});
afterAll(async () => {
  await a.close();
  await b.close();
  await database.drop();
});

describe("API keys cached in two processes", () => {
  it("a key revoked through one process is refused by the other, which had it cached", async () => {
    const key = await a.newOrg();
    const created = await a.post<CreateApiKeyResponse>("/v1/api-keys", { name: "zapier" }, { key });
    const second = created.body.key;
    // Both processes let it in once, so both have it cached.
    expect((await a.request("GET", "/v1/tags", { key: second })).status).toBe(200);
    expect((await b.request("GET", "/v1/tags", { key: second })).status).toBe(200);

    expect((await a.request("DELETE", `/v1/api-keys/${created.body.id}`, { key })).status).toBe(200);
    // At once in the process that revoked it; in the other as soon as the NOTIFY arrives.
    expect((await a.request("GET", "/v1/tags", { key: second })).status).toBe(403);
    const refused = await pollUntil(
      async () => {
        const status = (await b.request("GET", "/v1/tags", { key: second })).status;
        return { done: status === 403, state: `status ${status}` };
      },
      { timeoutMs: 20_000, intervalMs: 10 },
    );
    expect(refused.state).toBe("status 403");
    // The org's other key still works in both.
    expect((await b.request("GET", "/v1/tags", { key })).status).toBe(200);
  }, 30_000);

  it("a key created in one process works in the other at once (unknown keys are not cached)", async () => {
    const key = await a.newOrg();
    const before = await b.request("GET", "/v1/tags", { key: "lw_not_a_key_yet" });
    expect(before.status).toBe(403);
    const created = await a.post<CreateApiKeyResponse>("/v1/api-keys", { name: "fresh" }, { key });
    expect((await b.request("GET", "/v1/tags", { key: created.body.key })).status).toBe(200);
  });
});
