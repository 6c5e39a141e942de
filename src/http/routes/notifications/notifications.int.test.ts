import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { listEnabledRules } from "../../../domain/notifications/notificationRules.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateNotificationResponse } from "./createNotification.js";
import type { ListNotificationsResponse } from "./listNotifications.js";
import type { NotificationView } from "./notificationSchemas.js";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
});
afterAll(() => t.close());

async function listNotifications(withKey = key): Promise<NotificationView[]> {
  const res = await t.get<ListNotificationsResponse>("/v1/notifications", { key: withKey });
  expect(res.status).toBe(200);
  return res.body.notifications;
}

async function createNotification(body: Record<string, unknown>, withKey = key): Promise<NotificationView> {
  const res = await t.post<CreateNotificationResponse>("/v1/notifications", body, { key: withKey });
  expect(res.status).toBe(201);
  return res.body;
}

function paths(body: ErrorBody): string[] {
  return body.details.map((d) => d.path);
}

async function orgIdOf(notificationId: string): Promise<string> {
  const row = await t.app.database.db
    .selectFrom("notification_rules")
    .select("org_id")
    .where("id", "=", notificationId)
    .executeTakeFirstOrThrow();
  return row.org_id;
}

describe("POST /v1/notifications", () => {
  it("creates a rule with a trimmed name and the default enabled and channels", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const res = await t.post<CreateNotificationResponse>(
      "/v1/notifications",
      { name: "  Wants a call  ", condition: "call me, phone me, intent:booking" },
      { key },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^ntf_[0-9a-f]{32}$/),
      name: "Wants a call",
      condition: "call me, phone me, intent:booking",
      enabled: true,
      channels: ["sms", "email"],
      createdAt: "2024-01-15T14:30:00.000Z",
      updatedAt: "2024-01-15T14:30:00.000Z",
    });
    const id = res.body.id;
    const got = await t.request("GET", `/v1/notifications/${id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("keeps enabled false and lists channels in one order whatever order they came in", async () => {
    const rule = await createNotification({
      name: "Angry lead",
      condition: "The lead is upset or threatens to complain.",
      enabled: false,
      channels: ["call", "sms"],
    });
    expect(rule).toMatchObject({ enabled: false, channels: ["sms", "call"] });
  });

  it("refuses a duplicate name with 409 naming name, and allows it in another org", async () => {
    await createNotification({ name: "Duplicate", condition: "price" });
    const res = await t.request("POST", "/v1/notifications", {
      key,
      body: { name: " Duplicate ", condition: "budget" },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      message: 'A notification named "Duplicate" already exists.',
      code: "CONFLICT",
      details: [{ path: "name", message: "already taken" }],
    });
    await createNotification({ name: "Duplicate", condition: "price" }, await t.newOrg());
  });

  it.each([
    [{ condition: "price" }, ["name"]],
    [{ name: "   ", condition: "price" }, ["name"]],
    [{ name: "x".repeat(101), condition: "price" }, ["name"]],
    [{ name: 42, condition: "price" }, ["name"]],
    [{ name: "ok" }, ["condition"]],
    [{ name: "ok", condition: "  " }, ["condition"]],
    [{ name: "ok", condition: "c".repeat(1001) }, ["condition"]],
    [{ name: "ok", condition: "price, intent:bookng" }, ["condition"]],
    [{ name: "ok", condition: "price", enabled: "yes" }, ["enabled"]],
    [{ name: "ok", condition: "price", channels: [] }, ["channels"]],
    [{ name: "ok", condition: "price", channels: "sms" }, ["channels"]],
    [{ name: "ok", condition: "price", channels: ["sms", "fax"] }, ["channels.1"]],
    [{ name: "ok", condition: "price", channels: ["sms", "email", "sms"] }, ["channels.2"]],
    [{ name: "ok", condition: "price", extra: true }, ["extra"]],
  ])("refuses %j with 400 naming %j", async (body, expected) => {
    const res = await t.post<ErrorBody>("/v1/notifications", body, { key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", message: expect.any(String) });
    expect(paths(res.body)).toEqual(expected);
  });

  it("accepts a 100-character name and a 1000-character condition", async () => {
    const rule = await createNotification({ name: "n".repeat(100), condition: "c".repeat(1000) });
    expect(rule.name).toHaveLength(100);
    expect(rule.condition).toHaveLength(1000);
  });
});

describe("GET /v1/notifications", () => {
  it("lists an org's rules ordered by name and nothing of another org's", async () => {
    const fresh = await t.newOrg();
    expect(await listNotifications(fresh)).toEqual([]);
    const zulu = await createNotification({ name: "zulu", condition: "z" }, fresh);
    const alpha = await createNotification({ name: "alpha", condition: "a", channels: ["email"] }, fresh);
    await createNotification({ name: "other org", condition: "o" }, await t.newOrg());
    expect(await listNotifications(fresh)).toEqual([alpha, zulu]);
  });
});

describe("GET /v1/notifications/{notificationId}", () => {
  it("answers 404 for an unknown rule and for another org's rule", async () => {
    const unknown = await t.request("GET", "/v1/notifications/ntf_nope", { key });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: "Notification not found.", code: "NOT_FOUND", details: [] });

    const foreign = await createNotification({ name: "Theirs", condition: "x" }, await t.newOrg());
    expect((await t.request("GET", `/v1/notifications/${foreign.id}`, { key })).status).toBe(404);
  });
});

describe("PATCH /v1/notifications/{notificationId}", () => {
  it("changes only the given fields and bumps updatedAt", async () => {
    t.clock.set("2024-01-15T14:30:00.000Z");
    const rule = await createNotification({ name: "Patchable", condition: "price" });
    t.clock.set("2024-01-15T15:00:00.000Z");

    const res = await t.request("PATCH", `/v1/notifications/${rule.id}`, {
      key,
      body: { name: " Patched ", enabled: false, channels: ["call"] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: rule.id,
      name: "Patched",
      condition: "price",
      enabled: false,
      channels: ["call"],
      createdAt: "2024-01-15T14:30:00.000Z",
      updatedAt: "2024-01-15T15:00:00.000Z",
    });

    const again = await t.request("PATCH", `/v1/notifications/${rule.id}`, {
      key,
      body: { condition: "budget, intent:interested" },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      name: "Patched",
      condition: "budget, intent:interested",
      enabled: false,
    });
    expect((await t.request("GET", `/v1/notifications/${rule.id}`, { key })).body).toEqual(again.body);
  });

  it("refuses renaming onto another rule's name with 409 and changes nothing", async () => {
    await createNotification({ name: "Taken", condition: "x" });
    const rule = await createNotification({ name: "Free", condition: "x" });
    const res = await t.request("PATCH", `/v1/notifications/${rule.id}`, {
      key,
      body: { name: "Taken", enabled: false },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      message: 'A notification named "Taken" already exists.',
      code: "CONFLICT",
      details: [{ path: "name", message: "already taken" }],
    });
    expect((await t.request("GET", `/v1/notifications/${rule.id}`, { key })).body).toEqual(rule);
  });

  it("refuses invalid and unknown fields with 400 naming each", async () => {
    const rule = await createNotification({ name: "Strict", condition: "x" });
    const res = await t.patch<ErrorBody>(
      `/v1/notifications/${rule.id}`,
      { name: "", condition: "", enabled: 1, channels: [], id: "ntf_other" },
      { key },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(paths(res.body).sort()).toEqual(["channels", "condition", "enabled", "id", "name"]);
    expect((await t.request("GET", `/v1/notifications/${rule.id}`, { key })).body).toEqual(rule);
  });

  it("answers 404 for an unknown rule and for another org's rule, leaving it alone", async () => {
    const unknown = await t.request("PATCH", "/v1/notifications/ntf_nope", { key, body: { enabled: false } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "NOT_FOUND", message: "Notification not found." });

    const other = await t.newOrg();
    const foreign = await createNotification({ name: "Theirs", condition: "x" }, other);
    const res = await t.request("PATCH", `/v1/notifications/${foreign.id}`, { key, body: { name: "Mine" } });
    expect(res.status).toBe(404);
    expect((await t.request("GET", `/v1/notifications/${foreign.id}`, { key: other })).body).toEqual(foreign);
  });
});

describe("DELETE /v1/notifications/{notificationId}", () => {
  it("deletes a rule, then answers 404 for it", async () => {
    const rule = await createNotification({ name: "Gone", condition: "x" });
    const res = await t.request("DELETE", `/v1/notifications/${rule.id}`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Notification deleted successfully." });
    expect((await listNotifications()).some((candidate) => candidate.id === rule.id)).toBe(false);
    expect((await t.request("GET", `/v1/notifications/${rule.id}`, { key })).status).toBe(404);
    expect((await t.request("DELETE", `/v1/notifications/${rule.id}`, { key })).status).toBe(404);
  });

  it("answers 404 for another org's rule and leaves it alone", async () => {
    const other = await t.newOrg();
    const foreign = await createNotification({ name: "Untouchable", condition: "x" }, other);
    const res = await t.request("DELETE", `/v1/notifications/${foreign.id}`, { key });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "NOT_FOUND", message: "Notification not found." });
    expect(await listNotifications(other)).toEqual([foreign]);
  });
});

describe("listEnabledRules", () => {
  it("returns the enabled rules watching a channel, by name, for that org only", async () => {
    const org = await t.newOrg();
    const both = await createNotification({ name: "b both", condition: "price" }, org);
    const call = await createNotification({ name: "a call", condition: "ring", channels: ["call"] }, org);
    const email = await createNotification(
      { name: "c email", condition: "intent:booking", channels: ["email"] },
      org,
    );
    await createNotification({ name: "d off", condition: "x", enabled: false, channels: ["sms"] }, org);
    await createNotification({ name: "e elsewhere", condition: "x" }, await t.newOrg());
    const orgId = await orgIdOf(both.id);
    const ctx = t.app.ctx;

    expect(await listEnabledRules(ctx, orgId, "sms")).toEqual([
      { id: both.id, name: "b both", condition: "price" },
    ]);
    expect(await listEnabledRules(ctx, orgId, "email")).toEqual([
      { id: both.id, name: "b both", condition: "price" },
      { id: email.id, name: "c email", condition: "intent:booking" },
    ]);
    expect(await listEnabledRules(ctx, orgId, "call")).toEqual([
      { id: call.id, name: "a call", condition: "ring" },
    ]);
  });
});

describe("auth", () => {
  // The contract answers a missing or unknown key with 403 (src/http/auth.ts), as every /v1 route does.
  it("refuses a missing or unknown key with 403 on every operation", async () => {
    const rule = await createNotification({ name: "Guarded", condition: "x" });
    const calls: [string, string, unknown][] = [
      ["GET", "/v1/notifications", undefined],
      ["POST", "/v1/notifications", { name: "x", condition: "y" }],
      ["GET", `/v1/notifications/${rule.id}`, undefined],
      ["PATCH", `/v1/notifications/${rule.id}`, { enabled: false }],
      ["DELETE", `/v1/notifications/${rule.id}`, undefined],
    ];
    for (const [method, url, body] of calls) {
      const missing = await t.request(method, url, { key: null, body });
      expect(missing.status).toBe(403);
      expect(missing.body).toMatchObject({ code: "UNAUTHORIZED" });
      expect((await t.request(method, url, { key: "lw_not_a_key", body })).status).toBe(403);
    }
    expect((await t.request("GET", `/v1/notifications/${rule.id}`, { key })).body).toEqual(rule);
  });
});
