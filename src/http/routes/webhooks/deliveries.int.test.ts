import { createHmac } from "node:crypto";
import type { Insertable, Selectable } from "kysely";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { eventSource, TEST_SECRET } from "../../../../test/webhookFixtures.js";
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from "../../../db/schema.js";
import {
  type EventType,
  leadTaggedData,
  messageSentData,
  serializeEnvelope,
} from "../../../domain/events/catalog.js";
import { encodePosition } from "../../../domain/pagination.js";

interface Org {
  id: string;
  key: string;
}

interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

interface Page {
  deliveries: DeliveryView[];
  nextToken: string | null;
}

type DeliveryRow = Selectable<WebhookDeliveriesTable>;

let t: TestApp;
let orgA: Org;
let orgB: Org;
/** Org C holds the deliveries the retry tests change, so the listing tests see fixed data. */
let orgC: Org;
/** Org A's deliveries, in the order the listing must return them (newest first). */
const seededA: DeliveryRow[] = [];

const TIE = "2024-01-15T10:00:00.000Z";
const NOW = "2024-01-15T14:30:00.000Z";
const lead = { leadId: "0190f5a8-0000-7000-8000-00000000000a", externalLeadId: null, phone: "+12025550189" };

const hexId = (n: number) => n.toString(16).padStart(32, "0");
const deliveryId = (n: number) => `whd_${n.toString().padStart(6, "0")}`;

async function createOrg(name: string): Promise<Org> {
  const res = await t.request("POST", "/v1/orgs", { body: { name } });
  expect(res.status).toBe(201);
  const body = res.body as { id: string; apiKey: { key: string } };
  return { id: body.id, key: body.apiKey.key };
}

async function seedEndpoint(org: Org, id: string, enabled = true): Promise<void> {
  await t.app.database.db
    .insertInto("webhook_endpoints")
    .values({
      id,
      org_id: org.id,
      url: "https://receiver.example.com/hook",
      description: null,
      events: '["*"]',
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      previous_secret: null,
      previous_secret_expires_at: null,
      enabled: enabled ? 1 : 0,
      disabled_reason: enabled ? null : "manual",
      disabled_at: enabled ? null : TIE,
      max_concurrency: 4,
      rate_limit_per_second: null,
      failing_since: null,
      created_at: TIE,
      updated_at: TIE,
    })
    .execute();
}

async function seedEvent(org: Org, n: number, type: EventType, createdAt = TIE): Promise<string> {
  const id = hexId(n);
  const body =
    type === "leadTagged"
      ? serializeEnvelope(
          type,
          id,
          leadTaggedData({ lead, channel: "manual", tag: "isHot" }),
          new Date(createdAt),
        )
      : serializeEnvelope(
          "message.sent",
          id,
          messageSentData({ lead, channel: "sms", profile: "Default", followUpStep: null, text: "Olá 👋" }),
          new Date(createdAt),
        );
  await t.app.database.db
    .insertInto("events")
    .values({
      id,
      org_id: org.id,
      type,
      lead_id: lead.leadId,
      body,
      occurred_at: createdAt,
      created_at: createdAt,
      is_test: 0,
    })
    .execute();
  return body;
}

async function seedDelivery(
  org: Org,
  row: Pick<DeliveryRow, "id" | "endpoint_id" | "event_id" | "event_type" | "created_at"> &
    Partial<DeliveryRow>,
): Promise<DeliveryRow> {
  const full: Insertable<WebhookDeliveriesTable> & DeliveryRow = {
    org_id: org.id,
    status: "pending",
    attempts: 0,
    next_attempt_at: row.created_at,
    locked_by: null,
    locked_until: null,
    last_status_code: null,
    last_error: null,
    updated_at: row.created_at,
    completed_at: null,
    ...row,
  };
  await t.app.database.db.insertInto("webhook_deliveries").values(full).execute();
  return full;
}

async function seedAttempt(org: Org, row: Omit<Insertable<WebhookAttemptsTable>, "org_id">): Promise<void> {
  await t.app.database.db
    .insertInto("webhook_attempts")
    .values({ ...row, org_id: org.id })
    .execute();
}

function viewOf(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

async function list(org: Org, query: string): Promise<Page> {
  const res = await t.request("GET", `/v1/webhooks/deliveries${query}`, { key: org.key });
  expect(res.status, res.text).toBe(200);
  return res.body as Page;
}

async function listAll(org: Org, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const tokenPart: string = token === null ? "" : `&nextToken=${encodeURIComponent(token)}`;
    const page = await list(org, `?limit=${limit}${query}${tokenPart}`);
    ids.push(...page.deliveries.map((d) => d.id));
    token = page.nextToken;
    pages++;
  } while (token !== null && pages < 100);
  return { ids, pages };
}

const idsOf = (rows: DeliveryRow[]) => rows.map((row) => row.id);
const expectedA = (keep: (row: DeliveryRow) => boolean) => idsOf(seededA.filter(keep));

async function storedRow(id: string): Promise<DeliveryRow> {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

let bodyOfEvent1 = "";

beforeAll(async () => {
  t = await startTestApp();
  orgA = await createOrg("Org A");
  orgB = await createOrg("Org B");
  orgC = await createOrg("Org C");
  await seedEndpoint(orgA, "whe_a1");
  await seedEndpoint(orgA, "whe_a2");
  await seedEndpoint(orgA, "whe_a3", false);
  await seedEndpoint(orgB, "whe_b1");

  bodyOfEvent1 = await seedEvent(orgA, 1, "message.sent");
  await seedEvent(orgA, 2, "message.sent");
  await seedEvent(orgA, 3, "leadTagged", "2024-01-15T11:00:00.000Z");

  // Ties on created_at, inserted out of id order, so only the id tie-break can order them.
  const ties = [
    { n: 3, endpoint: "whe_a1", event: 1 },
    { n: 1, endpoint: "whe_a2", event: 1 },
    { n: 5, endpoint: "whe_a3", event: 1 },
    { n: 2, endpoint: "whe_a1", event: 2 },
    { n: 4, endpoint: "whe_a2", event: 2 },
  ];
  for (const { n, endpoint, event } of ties) {
    seededA.push(
      await seedDelivery(orgA, {
        id: deliveryId(n),
        endpoint_id: endpoint,
        event_id: hexId(event),
        event_type: "message.sent",
        created_at: TIE,
        ...(n === 2
          ? {
              status: "succeeded",
              attempts: 1,
              next_attempt_at: null,
              last_status_code: 200,
              completed_at: "2024-01-15T10:00:01.000Z",
              updated_at: "2024-01-15T10:00:01.000Z",
            }
          : {}),
      }),
    );
  }
  seededA.push(
    await seedDelivery(orgA, {
      id: deliveryId(6),
      endpoint_id: "whe_a1",
      event_id: hexId(3),
      event_type: "leadTagged",
      created_at: "2024-01-15T11:00:00.000Z",
      status: "failed",
      attempts: 8,
      next_attempt_at: null,
      last_status_code: 500,
      last_error: "HTTP 500",
      updated_at: "2024-01-15T12:00:00.000Z",
      completed_at: "2024-01-15T12:00:00.000Z",
    }),
    await seedDelivery(orgA, {
      id: deliveryId(7),
      endpoint_id: "whe_a2",
      event_id: hexId(3),
      event_type: "leadTagged",
      created_at: "2024-01-15T11:00:00.000Z",
      status: "pending",
      attempts: 2,
      next_attempt_at: "2024-01-15T11:05:10.000Z",
      last_error: "connect ECONNREFUSED",
      updated_at: "2024-01-15T11:00:05.000Z",
    }),
  );
  seededA.sort((a, b) =>
    a.created_at === b.created_at ? b.id.localeCompare(a.id) : b.created_at.localeCompare(a.created_at),
  );

  // Attempts of delivery 6, inserted out of order; two share a time and are ordered by id.
  const attempts = [
    {
      id: "wha_03",
      attempted_at: "2024-01-15T11:00:06.000Z",
      status_code: 503,
      error: null,
      succeeded: 0 as const,
    },
    {
      id: "wha_01",
      attempted_at: "2024-01-15T11:00:00.000Z",
      status_code: null,
      error: "timeout",
      succeeded: 0 as const,
    },
    {
      id: "wha_02",
      attempted_at: "2024-01-15T11:00:06.000Z",
      status_code: 500,
      error: null,
      succeeded: 0 as const,
    },
  ];
  for (const attempt of attempts) {
    await seedAttempt(orgA, {
      ...attempt,
      delivery_id: deliveryId(6),
      duration_ms: 120,
      response_body: attempt.status_code === null ? null : "oops",
    });
  }

  await seedEvent(orgB, 100, "message.sent");
  await seedDelivery(orgB, {
    id: deliveryId(100),
    endpoint_id: "whe_b1",
    event_id: hexId(100),
    event_type: "message.sent",
    created_at: TIE,
  });
});
afterAll(() => t.close());

describe("GET /v1/webhooks/deliveries", () => {
  it("lists newest first, ties on created_at by id descending, each delivery exactly once", async () => {
    expect(idsOf(seededA)).toEqual([7, 6, 5, 4, 3, 2, 1].map(deliveryId));
    for (const limit of [1, 2, 3, 5, 7, 1000]) {
      const { ids, pages } = await listAll(orgA, "", limit);
      expect(ids).toEqual(idsOf(seededA));
      expect(pages).toBe(Math.ceil(seededA.length / limit));
    }
  });

  it("keeps a walk stable while newer deliveries arrive", async () => {
    const first = await list(orgA, "?limit=3");
    await seedEvent(orgA, 9, "message.sent", "2024-01-15T14:00:00.000Z");
    const newer = await seedDelivery(orgA, {
      id: deliveryId(900),
      endpoint_id: "whe_a1",
      event_id: hexId(9),
      event_type: "message.sent",
      created_at: "2024-01-15T14:00:00.000Z",
    });
    try {
      const rest = await list(orgA, `?limit=1000&nextToken=${encodeURIComponent(first.nextToken ?? "")}`);
      expect([...first.deliveries, ...rest.deliveries].map((d) => d.id)).toEqual(idsOf(seededA));
      expect((await list(orgA, "?limit=1")).deliveries.map((d) => d.id)).toEqual([newer.id]);
    } finally {
      await t.app.database.db.deleteFrom("webhook_deliveries").where("id", "=", newer.id).execute();
    }
  });

  it("shows every field of a delivery", async () => {
    const { deliveries } = await list(orgA, "?limit=1000");
    expect(deliveries).toEqual(seededA.map(viewOf));
    expect(deliveries.find((d) => d.id === deliveryId(6))).toEqual({
      id: deliveryId(6),
      endpointId: "whe_a1",
      eventId: hexId(3),
      eventType: "leadTagged",
      status: "failed",
      attempts: 8,
      nextAttemptAt: null,
      lastStatusCode: 500,
      lastError: "HTTP 500",
      createdAt: "2024-01-15T11:00:00.000Z",
      updatedAt: "2024-01-15T12:00:00.000Z",
      completedAt: "2024-01-15T12:00:00.000Z",
    });
  });

  it("filters by endpoint", async () => {
    expect((await listAll(orgA, "&endpointId=whe_a1", 1)).ids).toEqual(
      expectedA((row) => row.endpoint_id === "whe_a1"),
    );
    expect((await list(orgA, "?endpointId=whe_unknown")).deliveries).toEqual([]);
  });

  it("filters by event", async () => {
    expect((await listAll(orgA, `&eventId=${hexId(1)}`, 2)).ids).toEqual([5, 3, 1].map(deliveryId));
  });

  it("filters by event type", async () => {
    expect((await list(orgA, "?eventType=leadTagged")).deliveries.map((d) => d.id)).toEqual(
      [7, 6].map(deliveryId),
    );
    expect((await listAll(orgA, "&eventType=message.sent", 2)).ids).toEqual(
      expectedA((row) => row.event_type === "message.sent"),
    );
    expect((await list(orgA, "?eventType=optOut")).deliveries).toEqual([]);
  });

  it("filters by status", async () => {
    const ids = async (status: string) => (await list(orgA, `?status=${status}`)).deliveries.map((d) => d.id);
    expect(await ids("failed")).toEqual([deliveryId(6)]);
    expect(await ids("succeeded")).toEqual([deliveryId(2)]);
    expect(await ids("pending")).toEqual([7, 5, 4, 3, 1].map(deliveryId));
  });

  it("filters by time: since inclusive, until exclusive", async () => {
    expect((await list(orgA, "?since=2024-01-15T11:00:00Z")).deliveries.map((d) => d.id)).toEqual(
      [7, 6].map(deliveryId),
    );
    expect((await listAll(orgA, "&until=2024-01-15T11:00:00Z", 2)).ids).toEqual(
      [5, 4, 3, 2, 1].map(deliveryId),
    );
    const offset = encodeURIComponent("2024-01-15T05:00:00-05:00");
    expect((await list(orgA, `?since=${offset}&until=2024-01-15T10:00:00.001Z`)).deliveries).toHaveLength(5);
  });

  it("combines filters", async () => {
    const page = await list(orgA, `?endpointId=whe_a1&eventType=message.sent&status=pending`);
    expect(page.deliveries.map((d) => d.id)).toEqual([deliveryId(3)]);
  });

  it("keeps orgs apart", async () => {
    expect((await list(orgB, "?limit=1000")).deliveries.map((d) => d.id)).toEqual([deliveryId(100)]);
    expect((await list(orgB, "?endpointId=whe_a1")).deliveries).toEqual([]);
    expect((await list(orgA, "?endpointId=whe_b1")).deliveries).toEqual([]);
    const first = await list(orgA, "?limit=1");
    const resumed = await list(orgB, `?nextToken=${encodeURIComponent(first.nextToken ?? "")}`);
    expect(resumed.deliveries.map((d) => d.id)).toEqual([deliveryId(100)]);
  });

  it.each([
    ["endpointId", "?endpointId="],
    ["eventId", "?eventId=123"],
    ["eventId", `?eventId=${"A".repeat(32)}`],
    ["eventId", `?eventId=${"g".repeat(32)}`],
    ["eventType", "?eventType=message.snet"],
    ["status", "?status=done"],
    ["since", "?since=yesterday"],
    ["until", "?until=2024-01-15"],
    ["until", "?since=2024-01-15T12:00:00Z&until=2024-01-15T12:00:00Z"],
    ["limit", "?limit=0"],
    ["limit", "?limit=1001"],
    ["nextToken", "?nextToken=not-a-token"],
    // A token of the (ascending) event log must not resume this descending listing.
    ["nextToken", `?nextToken=${encodePosition("events", { t: TIE, id: hexId(1) })}`],
    ["bogus", "?bogus=1"],
  ])("refuses a bad %s with 400 naming it (%s)", async (field, query) => {
    const res = await t.request("GET", `/v1/webhooks/deliveries${query}`, { key: orgA.key });
    expect(res.status, res.text).toBe(400);
    const body = res.body as { code: string; details: { path: string }[] };
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.details.map((d) => d.path)).toContain(field);
  });

  it("refuses a missing key with 403", async () => {
    expect((await t.request("GET", "/v1/webhooks/deliveries", { key: null })).status).toBe(403);
  });
});

describe("GET /v1/webhooks/deliveries/{id}", () => {
  it("returns the delivery with its payload and its attempts, oldest first", async () => {
    const res = await t.request("GET", `/v1/webhooks/deliveries/${deliveryId(6)}`, { key: orgA.key });
    expect(res.status, res.text).toBe(200);
    const six = seededA.find((row) => row.id === deliveryId(6));
    expect(six).toBeDefined();
    const event = await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("id", "=", hexId(3))
      .executeTakeFirstOrThrow();
    const attempt = (id: string, attemptedAt: string, statusCode: number | null, error: string | null) => ({
      id,
      deliveryId: deliveryId(6),
      attemptedAt,
      durationMs: 120,
      statusCode,
      responseBody: statusCode === null ? null : "oops",
      error,
      succeeded: false,
      // Seeded as attempts made before headers were stored.
      requestHeaders: null,
    });
    expect(res.body).toEqual({
      ...(six ? viewOf(six) : {}),
      payload: JSON.parse(event.body),
      attempts: [
        attempt("wha_01", "2024-01-15T11:00:00.000Z", null, "timeout"),
        attempt("wha_02", "2024-01-15T11:00:06.000Z", 500, null),
        attempt("wha_03", "2024-01-15T11:00:06.000Z", 503, null),
      ],
    });
  });

  it("returns the exact event body as payload and no attempts for an untried delivery", async () => {
    const res = await t.request("GET", `/v1/webhooks/deliveries/${deliveryId(3)}`, { key: orgA.key });
    expect(res.status).toBe(200);
    const body = res.body as { payload: unknown; attempts: unknown[]; status: string };
    expect(JSON.stringify(body.payload)).toBe(bodyOfEvent1);
    expect(body.attempts).toEqual([]);
    expect(body.status).toBe("pending");
  });

  it("answers 404 for another org's delivery and for an unknown one", async () => {
    for (const [org, id] of [
      [orgB, deliveryId(6)],
      [orgA, deliveryId(100)],
      [orgA, "whd_nope"],
    ] as const) {
      const res = await t.request("GET", `/v1/webhooks/deliveries/${id}`, { key: org.key });
      expect(res.status).toBe(404);
      expect((res.body as { code: string }).code).toBe("NOT_FOUND");
    }
  });
});

describe("the request headers of each attempt", () => {
  // An app of its own, sending to a loopback receiver: the dispatcher must not touch the seeded rows.
  let live: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver((_request, index) =>
      index === 0 ? { status: 500, body: "down" } : { status: 200, body: "ok" },
    );
    live = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  });
  afterAll(async () => {
    await live.close();
    await receiver.close();
  });

  it("are stored as the receiver got them, signatures included, on every attempt", async () => {
    const key = await live.newOrg();
    const created = await live.request("POST", "/v1/webhooks/endpoints", {
      key,
      body: { url: `${receiver.url}/hook`, secret: TEST_SECRET },
    });
    expect(created.status, created.text).toBe(201);
    const endpointId = (created.body as { id: string }).id;
    // During a rotation both Standard Webhooks signatures are sent: the stored header holds both.
    const rotated = await live.request("POST", `/v1/webhooks/endpoints/${endpointId}/rotate-secret`, {
      key,
    });
    const secret = (rotated.body as { secret: string }).secret;
    const source = await eventSource(live, key);
    await source.emit("Zoë 👋");

    // The first attempt fails (500), the retry after it succeeds: both are recorded by the dispatcher.
    expect(await live.app.webhooks.runDue()).toBe(1);
    live.clock.advance(60_000);
    expect(await live.app.webhooks.runDue()).toBe(1);
    expect(receiver.received).toHaveLength(2);

    const listed = await live.request("GET", `/v1/webhooks/deliveries?endpointId=${endpointId}`, { key });
    const [delivery] = (listed.body as Page).deliveries;
    const res = await live.request("GET", `/v1/webhooks/deliveries/${delivery?.id}`, { key });
    expect(res.status, res.text).toBe(200);
    const attempts = (res.body as { attempts: { statusCode: number; requestHeaders: unknown }[] }).attempts;
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 200]);
    for (const [i, attempt] of attempts.entries()) {
      const got = receiver.received[i];
      // Everything the receiver got but what the HTTP client adds for the connection.
      const { host, connection, "content-length": length, ...signed } = got?.headers ?? {};
      expect([host, connection, length].every((v) => v !== undefined)).toBe(true);
      expect(attempt.requestHeaders).toEqual(signed);
      expect(Object.keys(signed).sort()).toEqual([
        "content-type",
        "user-agent",
        "webhook-id",
        "webhook-signature",
        "webhook-timestamp",
        "x-signature-sha256",
      ]);
      // The stored values verify against the body the receiver got, with either secret.
      const headers = attempt.requestHeaders as Record<string, string>;
      const body = got?.body.toString("utf8") ?? "";
      expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
      // The reference library checks the timestamp against its clock: set it to the attempt's.
      vi.useFakeTimers({ toFake: ["Date"], now: Number(headers["webhook-timestamp"]) * 1000 });
      try {
        for (const signingSecret of [secret, TEST_SECRET]) {
          expect(() => new Webhook(signingSecret).verify(body, headers)).not.toThrow();
        }
      } finally {
        vi.useRealTimers();
      }
      expect(headers["x-signature-sha256"]).toBe(createHmac("sha256", secret).update(body).digest("hex"));
    }
    const [first, second] = receiver.received.map((r) => r.headers["webhook-timestamp"]);
    expect(Number(second) - Number(first)).toBe(60);
  });
});

describe("POST /v1/webhooks/deliveries/{id}/retry", () => {
  const created = "2024-01-15T09:00:00.000Z";
  let wakes = 0;

  beforeAll(async () => {
    await seedEndpoint(orgC, "whe_c1");
    await seedEndpoint(orgC, "whe_c_off", false);
    for (const n of [201, 202, 203, 204, 205]) await seedEvent(orgC, n, "message.sent", created);
    const base = { event_type: "message.sent", created_at: created } as const;
    await seedDelivery(orgC, {
      ...base,
      id: deliveryId(201),
      endpoint_id: "whe_c1",
      event_id: hexId(201),
      status: "failed",
      attempts: 8,
      next_attempt_at: null,
      last_status_code: 500,
      last_error: "HTTP 500",
      updated_at: "2024-01-15T12:00:00.000Z",
      completed_at: "2024-01-15T12:00:00.000Z",
    });
    await seedAttempt(orgC, {
      id: "wha_201",
      delivery_id: deliveryId(201),
      attempted_at: "2024-01-15T12:00:00.000Z",
      duration_ms: 80,
      status_code: 500,
      response_body: "no",
      error: null,
      succeeded: 0,
    });
    await seedDelivery(orgC, {
      ...base,
      id: deliveryId(202),
      endpoint_id: "whe_c1",
      event_id: hexId(202),
      status: "succeeded",
      attempts: 1,
      next_attempt_at: null,
      last_status_code: 204,
      updated_at: "2024-01-15T09:00:01.000Z",
      completed_at: "2024-01-15T09:00:01.000Z",
    });
    await seedDelivery(orgC, {
      ...base,
      id: deliveryId(203),
      endpoint_id: "whe_c1",
      event_id: hexId(203),
      attempts: 3,
      next_attempt_at: "2024-01-15T16:00:00.000Z",
      last_error: "connect ECONNREFUSED",
      updated_at: "2024-01-15T11:00:00.000Z",
    });
    await seedDelivery(orgC, {
      ...base,
      id: deliveryId(204),
      endpoint_id: "whe_c1",
      event_id: hexId(204),
      attempts: 1,
      next_attempt_at: "2024-01-15T14:29:00.000Z",
      locked_by: "worker-1",
      locked_until: "2024-01-15T14:31:00.000Z",
      updated_at: "2024-01-15T14:29:00.000Z",
    });
    await seedDelivery(orgC, {
      ...base,
      id: deliveryId(205),
      endpoint_id: "whe_c_off",
      event_id: hexId(205),
      status: "failed",
      attempts: 8,
      next_attempt_at: null,
      last_status_code: 410,
      updated_at: "2024-01-15T12:00:00.000Z",
      completed_at: "2024-01-15T12:00:00.000Z",
    });
    vi.spyOn(t.app.ctx, "wakeDispatcher").mockImplementation(() => {
      wakes++;
    });
  });

  async function retry(org: Org, id: string) {
    return t.request("POST", `/v1/webhooks/deliveries/${id}/retry`, { key: org.key });
  }

  async function expectRequeued(id: string, before: DeliveryRow): Promise<void> {
    t.clock.set(NOW);
    const wakesBefore = wakes;
    const res = await retry(orgC, id);
    expect(res.status, res.text).toBe(202);
    const after: DeliveryRow = {
      ...before,
      status: "pending",
      next_attempt_at: NOW,
      locked_by: null,
      locked_until: null,
      completed_at: null,
      updated_at: NOW,
    };
    expect(await storedRow(id)).toEqual(after);
    expect(res.body).toEqual({ message: "Delivery queued for retry.", delivery: viewOf(after) });
    expect(wakes).toBe(wakesBefore + 1);
  }

  it("requeues a failed delivery now, keeping its attempt count and history", async () => {
    await expectRequeued(deliveryId(201), await storedRow(deliveryId(201)));
    const detail = await t.request("GET", `/v1/webhooks/deliveries/${deliveryId(201)}`, { key: orgC.key });
    expect((detail.body as { attempts: { id: string }[] }).attempts.map((a) => a.id)).toEqual(["wha_201"]);
    expect((detail.body as { lastStatusCode: number }).lastStatusCode).toBe(500);
  });

  it("replays a succeeded delivery", async () => {
    await expectRequeued(deliveryId(202), await storedRow(deliveryId(202)));
  });

  it("brings a waiting pending delivery forward to now", async () => {
    await expectRequeued(deliveryId(203), await storedRow(deliveryId(203)));
  });

  it("requeues a delivery a worker holds, releasing the lease", async () => {
    await expectRequeued(deliveryId(204), await storedRow(deliveryId(204)));
  });

  it("refuses with 409 when the endpoint is disabled, changing nothing", async () => {
    const before = await storedRow(deliveryId(205));
    const wakesBefore = wakes;
    const res = await retry(orgC, deliveryId(205));
    expect(res.status).toBe(409);
    const body = res.body as { code: string; message: string };
    expect(body.code).toBe("CONFLICT");
    expect(body.message).toContain("enable the endpoint first");
    expect(await storedRow(deliveryId(205))).toEqual(before);
    expect(wakes).toBe(wakesBefore);
  });

  it("answers 404 for another org's delivery and for an unknown one, changing nothing", async () => {
    const before = await storedRow(deliveryId(6));
    for (const [org, id] of [
      [orgC, deliveryId(6)],
      [orgB, deliveryId(201)],
      [orgC, "whd_nope"],
    ] as const) {
      const res = await retry(org, id);
      expect(res.status).toBe(404);
      expect((res.body as { code: string }).code).toBe("NOT_FOUND");
    }
    expect(await storedRow(deliveryId(6))).toEqual(before);
  });
});
