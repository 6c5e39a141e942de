import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";

const PUBLIC_URL = "https://93.184.216.34/hook";

interface Endpoint {
  id: string;
  url: string;
  secret?: string;
  secretPrefix: string;
  disabledAt: string | null;
  updatedAt: string;
}

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
});
afterAll(() => t.close());

async function createEndpoint(body: Record<string, unknown>, k = key): Promise<Endpoint> {
  const res = await t.request("POST", "/v1/webhooks/endpoints", {
    key: k,
    body: { url: PUBLIC_URL, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as Endpoint;
}

let phone = 100;

/** A lead whose additionalInfo changes emit `lead.additionalInfo.updated`, one per call. */
async function newLead(k: string): Promise<{ leadId: string; change: (value: string) => Promise<void> }> {
  await t.request("POST", "/v1/profiles", { key: k, body: { name: "P" } });
  const res = await t.request("POST", "/v1/leads/create", {
    key: k,
    body: {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: `+1202555${String(phone++).padStart(4, "0")}`,
      customerProfile: "P",
    },
  });
  expect(res.status, res.text).toBe(200);
  const leadId = (res.body as { id: string }).id;
  const change = async (value: string) => {
    const patch = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key: k,
      body: { additionalInfo: { k: value } },
    });
    expect(patch.status, patch.text).toBe(200);
  };
  return { leadId, change };
}

async function deliveriesOf(endpointId: string) {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .execute();
}

async function listText(k = key): Promise<string> {
  return (await t.request("GET", "/v1/webhooks/endpoints", { key: k })).text;
}

describe("webhook endpoints: create, read, list", () => {
  it("creates an endpoint with every field and shows the secret only in that response", async () => {
    const body = {
      url: PUBLIC_URL,
      events: ["message.sent", "optOut"],
      description: "CRM sync",
      enabled: true,
      maxConcurrency: 4,
      rateLimitPerSecond: 50,
    };
    const res = await t.request("POST", "/v1/webhooks/endpoints", { key, body });
    expect(res.status).toBe(201);
    const created = res.body as Endpoint & { secret: string };
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

    const got = await t.request("GET", `/v1/webhooks/endpoints/${created.id}`, { key });
    expect(got.body).toEqual(view);
    expect(got.text).not.toContain(created.secret);
    const list = await listText();
    expect(JSON.parse(list).endpoints).toContainEqual(view);
    expect(list).not.toContain(created.secret);
  });

  it("applies defaults: every event, enabled, the configured concurrency, no rate limit", async () => {
    const created = await createEndpoint({});
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
    const created = await createEndpoint({ secret });
    expect(created.secret).toBe(secret);
    expect(created.secretPrefix).toBe(`${secret.slice(0, 10)}…`);
  });

  it("created disabled, an endpoint is manually disabled from the start", async () => {
    const created = await createEndpoint({ enabled: false });
    expect(created).toMatchObject({
      enabled: false,
      disabledReason: "manual",
      disabledAt: "2024-01-15T14:30:00.000Z",
    });
  });

  it("lists endpoints oldest first", async () => {
    const other = await t.newOrg();
    t.clock.advance(1000);
    const first = await createEndpoint({ description: "first" }, other);
    t.clock.advance(1000);
    const second = await createEndpoint({ description: "second" }, other);
    const ids = JSON.parse(await listText(other)).endpoints.map((e: Endpoint) => e.id);
    expect(ids).toEqual([first.id, second.id]);
  });
});

describe("webhook endpoints: validation", () => {
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
    const before = await listText();
    const body = "url" in fields || path === "url" ? fields : { url: PUBLIC_URL, ...fields };
    const res = await t.request("POST", "/v1/webhooks/endpoints", { key, body });
    expect(res.status).toBe(400);
    expect((res.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain(path);
    expect(await listText()).toBe(before);
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
    const before = await listText();
    const res = await t.request("POST", "/v1/webhooks/endpoints", { key, body: { url } });
    expect(res.status).toBe(400);
    const details = (res.body as { details: { path: string; message: string }[] }).details;
    expect(details).toEqual([
      { path: "url", message: expect.stringContaining("WEBHOOK_ALLOW_PRIVATE_TARGETS") },
    ]);
    expect(await listText()).toBe(before);
  });

  it("PATCH re-validates the url and the fields, changing nothing on refusal", async () => {
    const created = await createEndpoint({});
    const before = await t.request("GET", `/v1/webhooks/endpoints/${created.id}`, { key });
    for (const [path, body] of [
      ["url", { url: "http://10.0.0.1/hook" }],
      ["url", { url: "ftp://93.184.216.34/" }],
      ["events.0", { events: ["nope"] }],
      ["maxConcurrency", { maxConcurrency: 0 }],
      ["secret", { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }],
    ] as const) {
      const res = await t.request("PATCH", `/v1/webhooks/endpoints/${created.id}`, { key, body });
      expect(res.status).toBe(400);
      expect((res.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain(path);
    }
    expect((await t.request("GET", `/v1/webhooks/endpoints/${created.id}`, { key })).body).toEqual(
      before.body,
    );
  });

  it("accepts a loopback receiver when the operator allows private targets", async () => {
    const open = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
    try {
      const k = await open.newOrg();
      const res = await open.request("POST", "/v1/webhooks/endpoints", {
        key: k,
        body: { url: "http://127.0.0.1:9/hook" },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ url: "http://127.0.0.1:9/hook" });
    } finally {
      await open.close();
    }
  });
});

describe("webhook endpoints: update, disable, enable", () => {
  it("PATCH replaces the given fields and bumps updatedAt", async () => {
    const created = await createEndpoint({ description: "old" });
    t.clock.advance(1000);
    const res = await t.request("PATCH", `/v1/webhooks/endpoints/${created.id}`, {
      key,
      body: {
        url: "https://93.184.216.34/other",
        events: ["leadTagged"],
        description: null,
        maxConcurrency: 2,
        rateLimitPerSecond: 7,
      },
    });
    expect(res.status).toBe(200);
    const expected = {
      ...created,
      url: "https://93.184.216.34/other",
      events: ["leadTagged"],
      description: null,
      maxConcurrency: 2,
      rateLimitPerSecond: 7,
      updatedAt: t.clock.now().toISOString(),
    };
    delete expected.secret;
    expect(res.body).toEqual(expected);
    expect((await t.request("GET", `/v1/webhooks/endpoints/${created.id}`, { key })).body).toEqual(expected);
  });

  it("while disabled the endpoint gets nothing; re-enabling reports what it missed", async () => {
    const k = await t.newOrg();
    const { change } = await newLead(k);
    const endpoint = await createEndpoint({ events: ["lead.additionalInfo.updated"] }, k);
    await change("before");
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);

    t.clock.advance(60_000);
    const disabledAt = t.clock.now().toISOString();
    const off = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint.id}`, {
      key: k,
      body: { enabled: false },
    });
    expect(off.body).toMatchObject({ enabled: false, disabledReason: "manual", disabledAt });
    expect(off.body).not.toHaveProperty("missed");

    t.clock.advance(1000);
    await change("while off 1");
    await change("while off 2");
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);

    // Disabling again keeps the original moment it went dark.
    const again = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint.id}`, {
      key: k,
      body: { enabled: false },
    });
    expect(again.body).toMatchObject({ disabledAt });

    t.clock.advance(1000);
    const on = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint.id}`, {
      key: k,
      body: { enabled: true },
    });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      missed: { since: disabledAt, events: 2 },
    });
    const row = await t.app.database.db
      .selectFrom("webhook_endpoints")
      .select(["disabled_reason", "disabled_at", "failing_since"])
      .where("id", "=", endpoint.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ disabled_reason: null, disabled_at: null, failing_since: null });

    const still = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint.id}`, {
      key: k,
      body: { enabled: true },
    });
    expect(still.body).not.toHaveProperty("missed");
    await change("after");
    expect(await deliveriesOf(endpoint.id)).toHaveLength(2);
  });

  it("re-enabling an endpoint disabled as failing clears failing_since and counts only its filter", async () => {
    const k = await t.newOrg();
    const { change } = await newLead(k);
    const endpoint = await createEndpoint({ events: ["optOut"] }, k);
    await t.app.database.db
      .updateTable("webhook_endpoints")
      .set({
        enabled: 0,
        disabled_reason: "failing",
        disabled_at: t.clock.now().toISOString(),
        failing_since: "2024-01-10T00:00:00.000Z",
      })
      .where("id", "=", endpoint.id)
      .execute();
    expect((await t.request("GET", `/v1/webhooks/endpoints/${endpoint.id}`, { key: k })).body).toMatchObject({
      enabled: false,
      disabledReason: "failing",
    });
    await change("not an optOut");
    const on = await t.request("PATCH", `/v1/webhooks/endpoints/${endpoint.id}`, {
      key: k,
      body: { enabled: true },
    });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null, missed: { events: 0 } });
  });
});

describe("webhook endpoints: fan-out", () => {
  it("an event creates exactly one pending delivery per enabled endpoint whose filter matches", async () => {
    const k = await t.newOrg();
    const { leadId, change } = await newLead(k);
    const all = await createEndpoint({ events: ["*"] }, k);
    const matching = await createEndpoint({ events: ["optOut", "lead.additionalInfo.updated"] }, k);
    const other = await createEndpoint({ events: ["optOut"] }, k);
    const disabled = await createEndpoint({ enabled: false }, k);
    const foreign = await createEndpoint({ events: ["*"] }, await t.newOrg());
    await change("v");

    const event = await t.app.database.db
      .selectFrom("events")
      .select("id")
      .where("type", "=", "lead.additionalInfo.updated")
      .where("lead_id", "=", leadId)
      .executeTakeFirstOrThrow();
    for (const endpoint of [all, matching]) {
      const deliveries = await deliveriesOf(endpoint.id);
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
    for (const endpoint of [other, disabled, foreign]) expect(await deliveriesOf(endpoint.id)).toEqual([]);
  });
});

describe("webhook endpoints: delete", () => {
  it("removes the endpoint with its deliveries and attempts", async () => {
    const k = await t.newOrg();
    const { change } = await newLead(k);
    const endpoint = await createEndpoint({}, k);
    const kept = await createEndpoint({}, k);
    await change("v");
    const [delivery] = await deliveriesOf(endpoint.id);
    if (delivery === undefined) throw new Error("expected a delivery");
    await t.app.database.db
      .insertInto("webhook_attempts")
      .values({
        id: "wha_test",
        delivery_id: delivery.id,
        org_id: delivery.org_id,
        attempted_at: delivery.created_at,
        duration_ms: 12,
        status_code: 500,
        response_body: "oops",
        error: null,
        succeeded: 0,
      })
      .execute();

    const res = await t.request("DELETE", `/v1/webhooks/endpoints/${endpoint.id}`, { key: k });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Webhook endpoint deleted." });
    expect((await t.request("GET", `/v1/webhooks/endpoints/${endpoint.id}`, { key: k })).status).toBe(404);
    expect((await t.request("DELETE", `/v1/webhooks/endpoints/${endpoint.id}`, { key: k })).status).toBe(404);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    const attempts = await t.app.database.db
      .selectFrom("webhook_attempts")
      .select("id")
      .where("delivery_id", "=", delivery.id)
      .execute();
    expect(attempts).toEqual([]);
    expect(await deliveriesOf(kept.id)).toHaveLength(1);
  });
});

describe("webhook endpoints: rotate-secret", () => {
  const original = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  async function secrets(id: string) {
    return t.app.database.db
      .selectFrom("webhook_endpoints")
      .select(["secret", "previous_secret", "previous_secret_expires_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  }

  it("generates a new secret and keeps the old one signing for 24 hours", async () => {
    const endpoint = await createEndpoint({ secret: original });
    t.clock.advance(5000);
    const res = await t.request("POST", `/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`, { key });
    expect(res.status, res.text).toBe(200);
    const body = res.body as { secret: string; previousSecretExpiresAt: string };
    const expiresAt = new Date(t.clock.now().getTime() + 24 * 3600 * 1000).toISOString();
    expect(body).toEqual({
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      previousSecretExpiresAt: expiresAt,
    });
    expect(await secrets(endpoint.id)).toEqual({
      secret: body.secret,
      previous_secret: original,
      previous_secret_expires_at: expiresAt,
    });
    const got = await t.request("GET", `/v1/webhooks/endpoints/${endpoint.id}`, { key });
    expect(got.body).toMatchObject({ secretPrefix: `${body.secret.slice(0, 10)}…` });
    expect(got.text).not.toContain(body.secret);
    expect(await listText()).not.toContain(body.secret);
  });

  it("takes a secret from the caller, with the same rules as at creation", async () => {
    const endpoint = await createEndpoint({ secret: original });
    const url = `/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`;
    const bad = await t.request("POST", url, { key, body: { secret: "short" } });
    expect(bad.status).toBe(400);
    expect((bad.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain("secret");
    expect((await t.request("POST", url, { key, body: { other: 1 } })).status).toBe(400);
    expect((await secrets(endpoint.id)).secret).toBe(original);

    const res = await t.request("POST", url, { key, body: { secret: "my-own-secret-value" } });
    expect(res.body).toMatchObject({ secret: "my-own-secret-value" });
    expect(await secrets(endpoint.id)).toMatchObject({
      secret: "my-own-secret-value",
      previous_secret: original,
    });
  });
});

describe("webhook endpoints: tenant isolation", () => {
  it("another org gets 404 for every operation and sees none of them", async () => {
    const endpoint = await createEndpoint({ description: "private" });
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
    expect((await t.request("GET", "/v1/webhooks/endpoints", { key: other })).body).toEqual({
      endpoints: [],
    });
    expect((await t.request("GET", base, { key })).body).toMatchObject({ description: "private" });
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on loopback: the test route must go through the real dispatcher and network. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
}

describe("POST /v1/webhooks/endpoints/{id}/test", () => {
  let open: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let k: string;

  beforeAll(async () => {
    open = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
    receiver = await startReceiver();
    k = await open.newOrg();
  });
  afterAll(async () => {
    await open.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  async function endpointAt(body: Record<string, unknown> = {}): Promise<string> {
    const res = await open.request("POST", "/v1/webhooks/endpoints", {
      key: k,
      body: { url: receiver.url, ...body },
    });
    expect(res.status, res.text).toBe(201);
    return (res.body as { id: string }).id;
  }

  it("sends a sample message.sent now and returns the attempt", async () => {
    const id = await endpointAt({ events: ["optOut"] });
    const other = await endpointAt();
    const before = receiver.received.length;
    const res = await open.request("POST", `/v1/webhooks/endpoints/${id}/test`, { key: k, body: {} });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, succeeded: true, error: null });
    expect(receiver.received).toHaveLength(before + 1);
    const sent = receiver.received.at(-1);
    expect(JSON.parse(sent?.body ?? "{}")).toMatchObject({
      event: "message.sent",
      data: {
        leadId: "00000000-0000-7000-8000-000000000000",
        phone: "+12025550189",
        profile: "Sample Profile",
        content: { text: "This is a test event from Leadwire." },
      },
    });
    // The sample stays out of the event log and reaches only the endpoint under test.
    const eventId = String(sent?.headers["webhook-id"]);
    const event = await open.app.database.db
      .selectFrom("events")
      .select("is_test")
      .where("id", "=", eventId)
      .executeTakeFirstOrThrow();
    expect(event.is_test).toBe(1);
    const log = await open.request("GET", "/v1/events", { key: k });
    expect(log.text).not.toContain(eventId);
    const otherDeliveries = await open.app.database.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("endpoint_id", "=", other)
      .execute();
    expect(otherDeliveries).toEqual([]);
  });

  it("needs no body", async () => {
    const id = await endpointAt();
    const res = await open.request("POST", `/v1/webhooks/endpoints/${id}/test`, { key: k });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(receiver.received.at(-1)?.body ?? "{}")).toMatchObject({ event: "message.sent" });
  });

  it("sends the chosen event type, also to a disabled endpoint", async () => {
    const id = await endpointAt({ enabled: false });
    const res = await open.request("POST", `/v1/webhooks/endpoints/${id}/test`, {
      key: k,
      body: { eventType: "lead.additionalInfo.updated" },
    });
    expect(res.body).toMatchObject({ statusCode: 200, succeeded: true });
    expect(JSON.parse(receiver.received.at(-1)?.body ?? "{}")).toMatchObject({
      event: "lead.additionalInfo.updated",
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it("refuses an unknown event type", async () => {
    const id = await endpointAt();
    const res = await open.request("POST", `/v1/webhooks/endpoints/${id}/test`, {
      key: k,
      body: { eventType: "call.completed" },
    });
    expect(res.status).toBe(400);
    expect((res.body as { details: { path: string }[] }).details.map((d) => d.path)).toContain("eventType");
  });
});
