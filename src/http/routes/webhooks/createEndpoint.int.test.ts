import { describe, expect, it } from "vitest";
import { createEndpoint, deliveriesOf, listText, PUBLIC_URL } from "../../../../test/endpointFixtures.js";
import { startTestApp, testAppForFile } from "../../../../test/harness.js";
import { eventSource } from "../../../../test/webhookFixtures.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateEndpointResponse } from "./createEndpoint.js";
import type { ListEndpointsResponse } from "./listEndpoints.js";

const t = testAppForFile();

describe("POST /v1/webhooks/endpoints", () => {
  it("creates an endpoint with every field and shows the secret only in that response", async () => {
    const body = {
      url: PUBLIC_URL,
      events: ["message.sent", "optOut"],
      description: "CRM sync",
      enabled: true,
      maxConcurrency: 4,
      rateLimitPerSecond: 50,
    };
    const res = await t.post<CreateEndpointResponse>("/v1/webhooks/endpoints", body, { key: t.key });
    expect(res.status).toBe(201);
    const created = res.body;
    expect(created.id).toMatch(/^whe_[0-9a-f]{32}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const view = {
      id: created.id,
      ...body,
      disabledReason: null,
      disabledAt: null,
      secretPrefix: `${created.secret.slice(0, 10)}…`,
      createdAt: "2024-01-15T14:30:00.000Z",
      updatedAt: "2024-01-15T14:30:00.000Z",
    };
    expect(res.body).toEqual({ ...view, secret: created.secret });

    const got = await t.get(`/v1/webhooks/endpoints/${created.id}`, { key: t.key });
    expect(got.body).toEqual(view);
    expect(got.text).not.toContain(created.secret);
    const list = await t.get<ListEndpointsResponse>("/v1/webhooks/endpoints", { key: t.key });
    expect(list.body.endpoints).toContainEqual(view);
    expect(list.text).not.toContain(created.secret);
  });

  it("applies defaults: every event, enabled, the configured concurrency, no rate limit", async () => {
    const created = await createEndpoint(t, t.key);
    expect(created).toMatchObject({
      events: ["*"],
      description: null,
      enabled: true,
      disabledReason: null,
      maxConcurrency: t.app.config.webhooks.defaultMaxConcurrency,
      rateLimitPerSecond: null,
    });
  });

  it.each([
    ["a whsec_ secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["a plain secret", "legacy-secret-1234!"],
  ])("keeps %s given by the caller", async (_name, secret) => {
    const created = await createEndpoint(t, t.key, { secret });
    expect(created.secret).toBe(secret);
    expect(created.secretPrefix).toBe(`${secret.slice(0, 10)}…`);
  });

  it("created disabled, an endpoint is manually disabled from the start", async () => {
    const created = await createEndpoint(t, t.key, { enabled: false });
    expect(created).toMatchObject({
      enabled: false,
      disabledReason: "manual",
      disabledAt: "2024-01-15T14:30:00.000Z",
    });
  });
});

describe("POST /v1/webhooks/endpoints: validation", () => {
  it.each([
    ["url", {}],
    ["url", { url: "not a url" }],
    ["url", { url: "ftp://93.184.216.34/hook" }],
    ["url", { url: "https://user:pass@93.184.216.34/hook" }],
    ["events", { events: [] }],
    ["events", { events: ["*", "optOut"] }],
    ["events.0", { events: ["message.snet"] }],
    ["events.1", { events: ["optOut", "call.completed"] }],
    ["events.1", { events: ["optOut", "optOut"] }],
    ["description", { description: "x".repeat(501) }],
    ["secret", { secret: "too-short" }],
    ["secret", { secret: "has spaces in the middle" }],
    ["secret", { secret: "whsec_not base64 at all!" }],
    ["secret", { secret: `whsec_${Buffer.alloc(16).toString("base64")}` }],
    ["enabled", { enabled: "yes" }],
    ["maxConcurrency", { maxConcurrency: 0 }],
    ["maxConcurrency", { maxConcurrency: 101 }],
    ["maxConcurrency", { maxConcurrency: 1.5 }],
    ["rateLimitPerSecond", { rateLimitPerSecond: 0 }],
    ["rateLimitPerSecond", { rateLimitPerSecond: 10_001 }],
    ["colour", { colour: "red" }],
  ])("answers 400 naming %s and stores nothing", async (path, fields) => {
    const before = await listText(t, t.key);
    const body = "url" in fields || path === "url" ? fields : { url: PUBLIC_URL, ...fields };
    const res = await t.post<ErrorBody>("/v1/webhooks/endpoints", body, { key: t.key });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
    expect(await listText(t, t.key)).toBe(before);
  });

  it.each([
    "http://127.0.0.1/",
    "http://localhost/",
    "http://[::1]/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::ffff:10.0.0.1]/",
  ])("refuses the non-public target %s with 400 naming url", async (url) => {
    const before = await listText(t, t.key);
    const res = await t.post<ErrorBody>("/v1/webhooks/endpoints", { url }, { key: t.key });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: "url", message: expect.stringContaining("WEBHOOK_ALLOW_PRIVATE_TARGETS") },
    ]);
    expect(await listText(t, t.key)).toBe(before);
  });

  it("accepts a loopback receiver when the operator allows private targets", async () => {
    const open = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
    try {
      const k = await open.newOrg();
      const res = await open.post("/v1/webhooks/endpoints", { url: "http://127.0.0.1:9/hook" }, { key: k });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ url: "http://127.0.0.1:9/hook" });
    } finally {
      await open.close();
    }
  });
});

describe("webhook endpoints: fan-out", () => {
  it("an event creates exactly one pending delivery per enabled endpoint whose filter matches", async () => {
    const k = await t.newOrg();
    const { leadId, emit } = await eventSource(t, k);
    const all = await createEndpoint(t, k, { events: ["*"] });
    const matching = await createEndpoint(t, k, { events: ["optOut", "lead.additionalInfo.updated"] });
    const other = await createEndpoint(t, k, { events: ["optOut"] });
    const disabled = await createEndpoint(t, k, { enabled: false });
    const foreign = await createEndpoint(t, await t.newOrg(), { events: ["*"] });
    await emit("v");

    const event = await t.app.database.db
      .selectFrom("events")
      .select("id")
      .where("type", "=", "lead.additionalInfo.updated")
      .where("lead_id", "=", leadId)
      .executeTakeFirstOrThrow();
    for (const endpoint of [all, matching]) {
      const deliveries = await deliveriesOf(t, endpoint.id);
      expect(deliveries).toEqual([
        expect.objectContaining({
          event_id: event.id,
          event_type: "lead.additionalInfo.updated",
          status: "pending",
          attempts: 0,
          next_attempt_at: t.clock.now().toISOString(),
        }),
      ]);
    }
    for (const endpoint of [other, disabled, foreign]) expect(await deliveriesOf(t, endpoint.id)).toEqual([]);
  });
});
