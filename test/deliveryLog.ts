import type { Insertable, Selectable } from "kysely";
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from "../src/db/schema.js";
import {
  type EventType,
  leadTaggedData,
  messageSentData,
  serializeEnvelope,
} from "../src/domain/events/catalog.js";
import type { DeliveryView } from "../src/http/routes/webhooks/deliverySchemas.js";
import { createOrg, type Org } from "./apiFixtures.js";
import { madeBeforeAll, type TestApp } from "./harness.js";

/**
 * Rows of the webhook delivery log written straight to the database, and the fixed log the
 * deliveries route tests (src/http/routes/webhooks/*Delivery*.int.test.ts) read: org A's seven
 * deliveries with ties on created_at, delivery 6's three attempts, and one delivery of org B.
 */

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export const TIE = "2024-01-15T10:00:00.000Z";
export const NOW = "2024-01-15T14:30:00.000Z";
const lead = { leadId: "0190f5a8-0000-7000-8000-00000000000a", externalLeadId: null, phone: "+12025550189" };

export const hexId = (n: number) => n.toString(16).padStart(32, "0");
export const deliveryId = (n: number) => `whd_${n.toString().padStart(6, "0")}`;

export async function seedEndpoint(t: TestApp, org: Org, id: string, enabled = true): Promise<void> {
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

/** Stores event `n` of the org; returns its body. */
export async function seedEvent(
  t: TestApp,
  org: Org,
  n: number,
  type: EventType,
  createdAt = TIE,
): Promise<string> {
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

export async function seedDelivery(
  t: TestApp,
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

export async function seedAttempt(
  t: TestApp,
  org: Org,
  row: Omit<Insertable<WebhookAttemptsTable>, "org_id">,
): Promise<void> {
  await t.app.database.db
    .insertInto("webhook_attempts")
    .values({ ...row, org_id: org.id })
    .execute();
}

/** The columns of a delivery that failed for good after its 8 attempts, the last answered at `at`. */
export function failedForGood(
  at: string,
  lastStatusCode: number,
  lastError: string | null,
): Partial<DeliveryRow> {
  return {
    status: "failed",
    attempts: 8,
    next_attempt_at: null,
    last_status_code: lastStatusCode,
    last_error: lastError,
    updated_at: at,
    completed_at: at,
  };
}

/** The API's view of a stored delivery. */
export function viewOf(row: DeliveryRow): DeliveryView {
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

export async function storedRow(t: TestApp, id: string): Promise<DeliveryRow> {
  return t.app.database.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

export interface DeliveryLog {
  orgA: Org;
  orgB: Org;
  /** Org A's deliveries, in the order the listing must return them (newest first). */
  seededA: DeliveryRow[];
  /** The body of org A's event 1, which deliveries 1, 3 and 5 carry. */
  bodyOfEvent1: string;
}

/** Orgs A and B with their endpoints, events, deliveries and attempts. */
export async function seedDeliveryLog(t: TestApp): Promise<DeliveryLog> {
  const orgA = await createOrg(t, "Org A");
  const orgB = await createOrg(t, "Org B");
  const seededA: DeliveryRow[] = [];
  await seedEndpoint(t, orgA, "whe_a1");
  await seedEndpoint(t, orgA, "whe_a2");
  await seedEndpoint(t, orgA, "whe_a3", false);
  await seedEndpoint(t, orgB, "whe_b1");

  const bodyOfEvent1 = await seedEvent(t, orgA, 1, "message.sent");
  await seedEvent(t, orgA, 2, "message.sent");
  await seedEvent(t, orgA, 3, "leadTagged", "2024-01-15T11:00:00.000Z");

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
      await seedDelivery(t, orgA, {
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
    await seedDelivery(t, orgA, {
      id: deliveryId(6),
      endpoint_id: "whe_a1",
      event_id: hexId(3),
      event_type: "leadTagged",
      created_at: "2024-01-15T11:00:00.000Z",
      ...failedForGood("2024-01-15T12:00:00.000Z", 500, "HTTP 500"),
    }),
    await seedDelivery(t, orgA, {
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
    await seedAttempt(t, orgA, {
      ...attempt,
      delivery_id: deliveryId(6),
      duration_ms: 120,
      response_body: attempt.status_code === null ? null : "oops",
    });
  }

  await seedEvent(t, orgB, 100, "message.sent");
  await seedDelivery(t, orgB, {
    id: deliveryId(100),
    endpoint_id: "whe_b1",
    event_id: hexId(100),
    event_type: "message.sent",
    created_at: TIE,
  });
  return { orgA, orgB, seededA, bodyOfEvent1 };
}

/** The log, seeded on the file's app before the file's tests (see testAppForFile). */
export function deliveryLogForFile(t: TestApp): () => DeliveryLog {
  return madeBeforeAll(() => seedDeliveryLog(t));
}
