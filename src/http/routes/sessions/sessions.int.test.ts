import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, startTestApp, type TestApp, type TestResponse } from "../../../../test/harness.js";
import { parseOpenApiDocument } from "../../../../test/openApiDocument.js";
import { hashSessionToken } from "../../../domain/sessions/sessions.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateApiKeyResponse } from "../apiKeys/createApiKey.js";
import type { CreateTagResponse } from "../tags/createTag.js";
import type { ListTagsResponse } from "../tags/listTags.js";
import type { CreateSessionResponse } from "./createSession.js";
import type { GetSessionResponse } from "./getSession.js";

const PUBLIC_URL = "http://leadwire.test:8080";
const ORIGIN = "http://leadwire.test:8080";
const TTL_MS = 12 * 3_600_000;
const COOKIE_PATTERN = /^lw_session=([A-Za-z0-9_-]{43}); Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { PUBLIC_URL } });
});
afterAll(() => t.close());

function setCookieOf(res: TestResponse): string | undefined {
  const header = res.headers["set-cookie"];
  if (header === undefined) return undefined;
  expect(typeof header).toBe("string");
  return String(header);
}

async function signIn(
  app: TestApp,
  apiKey: string,
): Promise<{ token: string; cookie: string; body: CreateSessionResponse }> {
  const res = await app.post<CreateSessionResponse>("/v1/sessions", { apiKey }, { key: null });
  expect(res.status).toBe(201);
  const token = setCookieOf(res)?.split(";")[0]?.split("=")[1];
  if (token === undefined) throw new Error(`no session cookie: ${res.text}`);
  return { token, cookie: `lw_session=${token}`, body: res.body };
}

/** A request carried by the cookie only, as a browser on this server's origin sends it. */
function withCookie<TRes = unknown>(
  method: string,
  url: string,
  cookie: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<TestResponse<TRes>> {
  return t.request<TRes>(method, url, {
    key: null,
    ...(options.body === undefined ? {} : { body: options.body }),
    headers: { cookie, ...options.headers },
  });
}

async function tagNames(apiKey: string): Promise<string[]> {
  const res = await t.get<ListTagsResponse>("/v1/tags", { key: apiKey });
  expect(res.status).toBe(200);
  return res.body.tags.map((tag) => tag.name);
}

async function sessionRow(token: string) {
  return t.app.database.db
    .selectFrom("sessions")
    .selectAll()
    .where("token_hash", "=", hashSessionToken(token))
    .executeTakeFirstOrThrow();
}

describe("POST /v1/sessions (sign in)", () => {
  it("answers the caller and sets an HttpOnly, SameSite=Strict cookie; no Secure over http", async () => {
    const key = await t.newOrg();
    const res = await t.post<CreateSessionResponse>("/v1/sessions", { apiKey: key }, { key: null });
    expect(res.status).toBe(201);
    const cookie = setCookieOf(res);
    expect(cookie).toMatch(COOKIE_PATTERN);
    expect(cookie).not.toContain("Secure");
    const body = res.body;
    expect(body).toEqual({
      orgId: expect.stringMatching(/^org_[0-9a-f]{32}$/),
      keyId: expect.stringMatching(/^key_[0-9a-f]{32}$/),
      isAdmin: false,
      expiresAt: new Date(t.clock.now().getTime() + TTL_MS).toISOString(),
    });
    expect(res.text).not.toContain(key);
    const current = await t.get<GetSessionResponse>("/v1/sessions/current", { key });
    expect(current.body.orgId).toBe(body.orgId);
  });

  it("sets Secure when PUBLIC_URL is https, and takes its lifetime from SESSION_TTL_HOURS", async () => {
    const secure = await startTestApp({
      env: { PUBLIC_URL: "https://leads.example.com", SESSION_TTL_HOURS: "2" },
    });
    try {
      const { cookie } = await signIn(secure, ADMIN_KEY);
      const res = await secure.post<CreateSessionResponse>(
        "/v1/sessions",
        { apiKey: ADMIN_KEY },
        { key: null },
      );
      expect(setCookieOf(res)).toMatch(
        /^lw_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=7200; Secure$/,
      );
      expect(res.body.isAdmin).toBe(true);
      const out = await secure.request("DELETE", "/v1/sessions/current", {
        key: null,
        headers: { cookie, origin: "https://leads.example.com" },
      });
      expect(out.status).toBe(200);
      expect(setCookieOf(out)).toBe("lw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
    } finally {
      await secure.close();
    }
  });

  it("stores only the token's SHA-256", async () => {
    const { token, body } = await signIn(t, await t.newOrg());
    const row = await sessionRow(token);
    expect(row).toMatchObject({
      id: expect.stringMatching(/^ses_[0-9a-f]{32}$/),
      org_id: body.orgId,
      key_id: body.keyId,
      token_hash: hashSessionToken(token),
      expires_at: body.expiresAt,
      revoked_at: null,
    });
    const all = await t.app.database.db.selectFrom("sessions").selectAll().execute();
    expect(JSON.stringify(all)).not.toContain(token);
  });

  it("refuses a wrong or revoked key with the x-api-key hook's answer, sets no cookie, echoes nothing", async () => {
    const wrong = "lw_this_key_does_not_exist_0123456789abcdef";
    const res = await t.request("POST", "/v1/sessions", { key: null, body: { apiKey: wrong } });
    const hook = await t.request("GET", "/v1/leads", { key: wrong });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(hook.body);
    expect(res.body).toMatchObject({ code: "UNAUTHORIZED" });
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.text).not.toContain(wrong);

    const key = await t.newOrg();
    const second = await t.post<CreateApiKeyResponse>("/v1/api-keys", { name: "old" }, { key });
    const { id, key: secondKey } = second.body;
    expect((await t.request("DELETE", `/v1/api-keys/${id}`, { key })).status).toBe(200);
    const revoked = await t.request("POST", "/v1/sessions", { key: null, body: { apiKey: secondKey } });
    expect(revoked.status).toBe(403);
    expect(revoked.headers["set-cookie"]).toBeUndefined();
  });

  it.each([
    ["apiKey", {}],
    ["apiKey", { apiKey: "" }],
    ["apiKey", { apiKey: 12345 }],
    ["password", { apiKey: "lw_x", password: "hunter2-secret" }],
  ])("answers 400 naming %s, without echoing the body", async (path, body) => {
    const res = await t.post<ErrorBody>("/v1/sessions", body, { key: null });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
    expect(res.text).not.toContain("hunter2-secret");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("limits sign-in attempts per client address", async () => {
    const limited = await startTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "2" } });
    try {
      const attempt = () =>
        limited.request("POST", "/v1/sessions", { key: null, body: { apiKey: "lw_guess_0123456789abcdef" } });
      expect((await attempt()).status).toBe(403);
      expect((await attempt()).status).toBe(403);
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: "RATE_LIMITED" });
      // The key's own allowance on the rest of /v1 is counted apart.
      expect((await limited.request("GET", "/v1/tags")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("refuses a sign-in posted from another site's page, not one without Origin", async () => {
    const key = await t.newOrg();
    const res = await t.request("POST", "/v1/sessions", {
      key: null,
      body: { apiKey: key },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "FORBIDDEN" });
    expect(res.headers["set-cookie"]).toBeUndefined();
    const same = await t.request("POST", "/v1/sessions", {
      key: null,
      body: { apiKey: key },
      headers: { origin: ORIGIN },
    });
    expect(same.status).toBe(201);
  });
});

describe("the session cookie as a credential", () => {
  it("authenticates reads as its API key would", async () => {
    const key = await t.newOrg();
    await t.request("POST", "/v1/tags", { key, body: { name: "from-the-key" } });
    const { cookie, body } = await signIn(t, key);
    const leads = await withCookie("GET", "/v1/leads?createdSince=2000-01-01T00:00:00Z", cookie);
    expect(leads.status).toBe(200);
    expect(leads.body).toEqual({ leads: [], nextToken: null });
    const tags = await withCookie("GET", "/v1/tags", cookie);
    expect(tags.status).toBe(200);
    expect(JSON.stringify(tags.body)).toContain("from-the-key");
    const current = await withCookie("GET", "/v1/sessions/current", cookie);
    expect(current.status).toBe(200);
    expect(current.body).toEqual(body);
    // A session of a non-admin key cannot do what the key cannot.
    const admin = await withCookie("POST", "/v1/orgs", cookie, {
      body: { name: "nope" },
      headers: { origin: ORIGIN },
    });
    expect(admin.status).toBe(403);
    expect(admin.body).toMatchObject({ code: "FORBIDDEN" });
  });

  it("notes when it was last used", async () => {
    const { token, cookie } = await signIn(t, await t.newOrg());
    expect((await sessionRow(token)).last_seen_at).toBeNull();
    await withCookie("GET", "/v1/sessions/current", cookie);
    expect((await sessionRow(token)).last_seen_at).toBe(t.clock.now().toISOString());
  });

  it("changes state only with this server's Origin (PUBLIC_URL's or the request's own)", async () => {
    const key = await t.newOrg();
    const { cookie } = await signIn(t, key);
    const post = (name: string, headers: Record<string, string>) =>
      withCookie<CreateTagResponse>("POST", "/v1/tags", cookie, { body: { name }, headers });

    const ok = await post("same-origin", { origin: ORIGIN });
    expect(ok.status).toBe(201);
    const own = await post("own-origin", { origin: "http://app.internal:3000", host: "app.internal:3000" });
    expect(own.status).toBe(201);

    const foreign: Record<string, string>[] = [
      {},
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "https://leadwire.test:8080" },
      { origin: "http://app.internal:3000", host: "other.internal:3000" },
    ];
    for (const headers of foreign) {
      const refused = await post("cross-site", headers);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        code: "FORBIDDEN",
        message: "Cross-site request refused: the Origin header must be this server's.",
      });
    }
    const deleted = await withCookie("DELETE", `/v1/tags/${ok.body.id}`, cookie);
    expect(deleted.status).toBe(403);

    const names = await tagNames(key);
    expect(names).toEqual(expect.arrayContaining(["same-origin", "own-origin"]));
    expect(names).not.toContain("cross-site");
  });

  it("leaves x-api-key requests as they were: never Origin-checked, the header wins over a cookie", async () => {
    const key = await t.newOrg();
    const { cookie } = await signIn(t, key);
    const viaKey = await t.request("POST", "/v1/tags", {
      key,
      body: { name: "integration" },
      headers: { origin: "https://evil.example" },
    });
    expect(viaKey.status).toBe(201);
    const current = await t.get<GetSessionResponse>("/v1/sessions/current", { key });
    expect(current.status).toBe(200);
    expect(current.body.expiresAt).toBeNull();

    const badKey = await t.request("GET", "/v1/tags", {
      key: "lw_wrong_key_0123456789abcdef",
      headers: { cookie },
    });
    expect(badKey.status).toBe(403);
    expect(badKey.body).toMatchObject({ code: "UNAUTHORIZED", message: "Invalid API key." });
    const junkCookie = await t.request("GET", "/v1/tags", { key, headers: { cookie: "lw_session=junk" } });
    expect(junkCookie.status).toBe(200);
  });

  it("refuses a missing, unknown or malformed cookie like a missing key", async () => {
    const missing = await t.request("GET", "/v1/tags", { key: null });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: "UNAUTHORIZED" });
    for (const cookie of ["lw_session=", "lw_session=unknown-token", "other=1", "lw_session=%ZZ;;;"]) {
      const res = await withCookie("GET", "/v1/tags", cookie);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: "UNAUTHORIZED" });
    }
  });
});

describe("the end of a session", () => {
  it("DELETE /v1/sessions/current signs out: revoked, cookie cleared, then refused", async () => {
    const { token, cookie } = await signIn(t, await t.newOrg());
    const noOrigin = await withCookie("DELETE", "/v1/sessions/current", cookie);
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body).toMatchObject({ code: "FORBIDDEN" });
    expect((await sessionRow(token)).revoked_at).toBeNull();

    const out = await withCookie("DELETE", "/v1/sessions/current", cookie, { headers: { origin: ORIGIN } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ message: "Signed out." });
    expect(setCookieOf(out)).toBe("lw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    expect((await sessionRow(token)).revoked_at).toBe(t.clock.now().toISOString());

    const after = await withCookie("GET", "/v1/sessions/current", cookie);
    expect(after.status).toBe(403);
    expect(after.body).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("DELETE /v1/sessions/current with x-api-key and no cookie answers 200, nothing to revoke", async () => {
    const key = await t.newOrg();
    const out = await t.request("DELETE", "/v1/sessions/current", { key });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ message: "Signed out." });
    expect((await t.request("GET", "/v1/tags", { key })).status).toBe(200);
  });

  it("a session expires after its TTL", async () => {
    const { cookie } = await signIn(t, await t.newOrg());
    t.clock.advance(TTL_MS - 1000);
    expect((await withCookie("GET", "/v1/sessions/current", cookie)).status).toBe(200);
    t.clock.advance(1000);
    const expired = await withCookie("GET", "/v1/sessions/current", cookie);
    expect(expired.status).toBe(403);
    expect(expired.body).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("revoking the API key ends its sessions", async () => {
    const key = await t.newOrg();
    const created = await t.post<CreateApiKeyResponse>("/v1/api-keys", { name: "browser" }, { key });
    const { id, key: browserKey } = created.body;
    const { cookie } = await signIn(t, browserKey);
    expect((await withCookie("GET", "/v1/tags", cookie)).status).toBe(200);
    expect((await t.request("DELETE", `/v1/api-keys/${id}`, { key })).status).toBe(200);
    const refused = await withCookie("GET", "/v1/tags", cookie);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("OpenAPI", () => {
  it("documents sign-in as needing no credential and the cookie as a security scheme", async () => {
    const res = await t.get("/openapi.json", { key: null });
    const doc = parseOpenApiDocument(res.body);
    expect(doc.components?.securitySchemes?.session).toEqual({
      type: "apiKey",
      in: "cookie",
      name: "lw_session",
    });
    expect(doc.paths["/v1/sessions"]?.post?.security).toEqual([]);
  });
});
