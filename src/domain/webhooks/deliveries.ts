import type { Selectable } from "kysely";
import { toIso } from "../../clock.js";
import type { DeliveryStatus, WebhookDeliveriesTable } from "../../db/schema.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, invalid, notFound } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { eventBody } from "../jsonColumns.js";
import { decodePosition, toPage } from "../pagination.js";
import { dueAgain, toAttemptView } from "./deliveryRows.js";
import type { AttemptView } from "./types.js";

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/**
 * The detail replaces the attempt count with the attempts themselves, as api.md's "the delivery
 * with all its attempts" reads.
 */
export interface DeliveryDetail extends Omit<DeliveryView, "attempts"> {
  /** The body the receiver gets, parsed. */
  payload: Record<string, unknown>;
  /** Oldest first. */
  attempts: AttemptView[];
}

export interface ListDeliveriesQuery {
  endpointId?: string | undefined;
  eventId?: string | undefined;
  eventType?: string | undefined;
  status?: DeliveryStatus | undefined;
  /** Inclusive lower bound on created_at. */
  since?: Date | undefined;
  /** Exclusive upper bound, so consecutive windows never return a delivery twice. */
  until?: Date | undefined;
  limit: number;
  nextToken?: string | undefined;
}

type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** Its own kind: a token of an ascending listing must not resume this descending one. */
const PAGE_KIND = "webhookDeliveries:desc";

export function toDeliveryView(row: DeliveryRow): DeliveryView {
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

/**
 * The org's delivery log, newest first: a log UI opens on what just happened. Still keyset
 * paginated on (created_at, id), walking downwards, so a page boundary is stable: deliveries
 * created after the first page are simply not in this walk (they sort above it), and ties on
 * created_at are split by id, never skipped or repeated.
 */
export async function listDeliveries(
  ctx: DomainContext,
  orgId: string,
  query: ListDeliveriesQuery,
): Promise<{ deliveries: DeliveryView[]; nextToken: string | null }> {
  if (query.since && query.until && query.until <= query.since) {
    throw invalid("until", "must be later than since");
  }
  let select = ctx.db.selectFrom("webhook_deliveries").selectAll().where("org_id", "=", orgId);
  if (query.endpointId !== undefined) select = select.where("endpoint_id", "=", query.endpointId);
  if (query.eventId !== undefined) select = select.where("event_id", "=", query.eventId);
  if (query.eventType !== undefined) select = select.where("event_type", "=", query.eventType);
  if (query.status !== undefined) select = select.where("status", "=", query.status);
  if (query.since) select = select.where("created_at", ">=", toIso(query.since));
  if (query.until) select = select.where("created_at", "<", toIso(query.until));
  if (query.nextToken !== undefined) {
    const cursor = decodePosition(query.nextToken, PAGE_KIND);
    select = select.where((eb) =>
      eb.or([
        eb("created_at", "<", cursor.t),
        eb.and([eb("created_at", "=", cursor.t), eb("id", "<", cursor.id)]),
      ]),
    );
  }
  const rows = await select
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const { page, nextToken } = toPage(rows, query.limit, PAGE_KIND, (row) => ({
    t: row.created_at,
    id: row.id,
  }));
  return { deliveries: page.map(toDeliveryView), nextToken };
}

async function loadDelivery(tx: Tx, orgId: string, deliveryId: string): Promise<DeliveryRow> {
  const row = await tx
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", deliveryId)
    .executeTakeFirst();
  if (!row) throw notFound("Delivery");
  return row;
}

/** One delivery with the event body it sends and every attempt, oldest first. */
export async function getDelivery(
  ctx: DomainContext,
  orgId: string,
  deliveryId: string,
): Promise<DeliveryDetail> {
  const row = await ctx.db
    .selectFrom("webhook_deliveries")
    .innerJoin("events", (join) =>
      join
        .onRef("events.id", "=", "webhook_deliveries.event_id")
        .onRef("events.org_id", "=", "webhook_deliveries.org_id"),
    )
    .selectAll("webhook_deliveries")
    .select("events.body as event_body")
    .where("webhook_deliveries.org_id", "=", orgId)
    .where("webhook_deliveries.id", "=", deliveryId)
    .executeTakeFirst();
  if (!row) throw notFound("Delivery");
  const attempts = await ctx.db
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("delivery_id", "=", deliveryId)
    .orderBy("attempted_at")
    .orderBy("id")
    .execute();
  return {
    ...toDeliveryView(row),
    payload: eventBody.read(row.event_body, row.event_id),
    attempts: attempts.map(toAttemptView),
  };
}

async function assertEndpointEnabled(tx: Tx, orgId: string, endpointId: string): Promise<void> {
  const endpoint = await tx
    .selectFrom("webhook_endpoints")
    .select("enabled")
    .where("org_id", "=", orgId)
    .where("id", "=", endpointId)
    .executeTakeFirst();
  // Deliveries cascade with their endpoint, so a missing endpoint means the delivery is gone too.
  if (!endpoint) throw notFound("Delivery");
  if (endpoint.enabled !== 1) {
    throw new DomainError(
      "CONFLICT",
      "The delivery's endpoint is disabled: enable the endpoint first, then retry.",
      [{ path: "endpointId", message: "endpoint is disabled" }],
    );
  }
}

/**
 * Makes the delivery pending and due now, whatever its status: retrying a succeeded delivery is
 * an explicit replay. The attempt count, last result and attempt rows stay as history.
 *
 * A delivery a worker holds right now (locked_until > now) is retried too: clearing the lease
 * makes it claimable at once, so the retry may start while the first send is still in flight
 * (receivers de-duplicate by webhook-id; delivery is at-least-once anyway). The in-flight
 * worker still records its attempt row when it returns, but it moves the delivery only while it
 * holds the lease (jobs/webhooks/recordResults.ts), so it cannot overwrite this retry: the
 * delivery stays pending and due, and the retry the caller asked for runs.
 */
export async function retryDelivery(
  ctx: DomainContext,
  orgId: string,
  deliveryId: string,
): Promise<DeliveryView> {
  return inTransaction(ctx, async (tx, _emit, wake) => {
    const row = await loadDelivery(tx, orgId, deliveryId);
    await assertEndpointEnabled(tx, orgId, row.endpoint_id);
    const now = toIso(ctx.clock.now());
    await tx
      .updateTable("webhook_deliveries")
      .set(dueAgain(now))
      .where("org_id", "=", orgId)
      .where("id", "=", deliveryId)
      .execute();
    wake();
    return toDeliveryView(await loadDelivery(tx, orgId, deliveryId));
  });
}
