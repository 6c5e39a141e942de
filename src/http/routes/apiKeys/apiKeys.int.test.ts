import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { hashApiKey } from "../../../domain/orgs/apiKeys.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateOrgResponse } from "../orgs/createOrg.js";
import type { CreateApiKeyResponse } from "./createApiKey.js";
import type { ListApiKeysResponse } from "./listApiKeys.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("orgs and API keys", () => {
  it("POST /v1/orgs creates an org and shows its first key once; the key works and is stored hashed", async () => {
    const res = await t.post<CreateOrgResponse>("/v1/orgs", { name: "Acme Realty" });
    expect(res.status).toBe(201);
    const body = res.body;
    expect(body).toMatchObject({ name: "Acme Realty", leadLimit: null });
    expect(body.id).toMatch(/^org_[0-9a-f]{32}$/);
    expect(body.apiKey.key).toMatch(/^lw_[A-Za-z0-9_-]{43}$/);
    expect(body.apiKey.prefix).toBe(body.apiKey.key.slice(0, 7));

    const rows = await t.app.database.db
      .selectFrom("api_keys")
      .selectAll()
      .where("org_id", "=", body.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key_hash).toBe(hashApiKey(body.apiKey.key));
    expect(JSON.stringify(rows)).not.toContain(body.apiKey.key);

    const list = await t.get<ListApiKeysResponse>("/v1/api-keys", { key: body.apiKey.key });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(body.apiKey.key);
    expect(list.body.apiKeys.map((k) => k.id)).toEqual([body.apiKey.id]);
  });

  it("refuses org creation without an admin key, and duplicate org names", async () => {
    const key = await t.newOrg();
    const res = await t.request("POST", "/v1/orgs", { key, body: { name: "Sneaky" } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "FORBIDDEN" });
    await t.request("POST", "/v1/orgs", { body: { name: "Twice" } });
    const again = await t.post<ErrorBody>("/v1/orgs", { name: "Twice" });
    expect(again.status).toBe(409);
    expect(again.body.details[0]?.path).toBe("name");
  });

  it("creates, lists and revokes keys of the caller's org only", async () => {
    const key = await t.newOrg();
    const created = await t.post<CreateApiKeyResponse>("/v1/api-keys", { name: "zapier" }, { key });
    expect(created.status).toBe(201);
    const second = created.body;
    expect(second).toMatchObject({ name: "zapier", isAdmin: false });
    expect((await t.request("GET", "/v1/api-keys", { key: second.key })).status).toBe(200);

    const other = await t.newOrg();
    expect((await t.request("DELETE", `/v1/api-keys/${second.id}`, { key: other })).status).toBe(404);
    const otherList = await t.get<ListApiKeysResponse>("/v1/api-keys", { key: other });
    expect(otherList.body.apiKeys.map((k) => k.id)).not.toContain(second.id);

    const revoked = await t.request("DELETE", `/v1/api-keys/${second.id}`, { key });
    expect(revoked.status).toBe(200);
    expect((await t.request("GET", "/v1/api-keys", { key: second.key })).status).toBe(403);
  });

  it("refuses revoking the org's last key and minting admin keys from a normal key", async () => {
    const key = await t.newOrg();
    const list = await t.get<ListApiKeysResponse>("/v1/api-keys", { key });
    const [only] = list.body.apiKeys;
    const res = await t.request("DELETE", `/v1/api-keys/${only?.id}`, { key });
    expect(res.status).toBe(409);
    expect((await t.request("GET", "/v1/api-keys", { key })).status).toBe(200);
    const admin = await t.request("POST", "/v1/api-keys", { key, body: { name: "root", isAdmin: true } });
    expect(admin.status).toBe(403);
  });

  it.each([
    ["name", { name: "" }],
    ["name", {}],
    ["isAdmin", { name: "x", isAdmin: "yes" }],
    ["scopes", { name: "x", scopes: [] }],
  ])("POST /v1/api-keys answers 400 naming %s", async (path, body) => {
    const res = await t.post<ErrorBody>("/v1/api-keys", body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });
});

describe("lastUsedAt", () => {
  async function lastUsedAt(keyId: string): Promise<string | null> {
    // Read straight from the table: listing keys is itself a use of the key.
    const row = await t.app.database.db
      .selectFrom("api_keys")
      .select("last_used_at")
      .where("id", "=", keyId)
      .executeTakeFirstOrThrow();
    return row.last_used_at;
  }

  /** The write is not awaited by the request; wait for it as a condition, not a fixed time. */
  async function until(check: () => Promise<boolean>): Promise<void> {
    const deadline = performance.now() + 20_000;
    while (!(await check()) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(await check()).toBe(true);
  }

  it("is written when a key is used, at most once a minute", async () => {
    t.clock.set("2024-03-01T10:00:00.000Z");
    const res = await t.post<CreateOrgResponse>("/v1/orgs", { name: "Used Keys Inc" });
    const { apiKey } = res.body;
    expect(await lastUsedAt(apiKey.id)).toBeNull();

    expect((await t.request("GET", "/v1/tags", { key: apiKey.key })).status).toBe(200);
    await until(async () => (await lastUsedAt(apiKey.id)) === "2024-03-01T10:00:00.000Z");

    t.clock.set("2024-03-01T10:00:30.000Z");
    await t.request("GET", "/v1/tags", { key: apiKey.key });
    t.clock.set("2024-03-01T10:01:05.000Z");
    await t.request("GET", "/v1/tags", { key: apiKey.key });
    await until(async () => (await lastUsedAt(apiKey.id)) === "2024-03-01T10:01:05.000Z");

    const list = await t.get<ListApiKeysResponse>("/v1/api-keys", { key: apiKey.key });
    const keys = list.body.apiKeys;
    expect(keys.find((k) => k.id === apiKey.id)?.lastUsedAt).toBe("2024-03-01T10:01:05.000Z");
  });
});
