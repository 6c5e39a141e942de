import { toIso } from "../../clock.js";
import type { WebhookEndpointsTable } from "../../db/schema.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { dueAgain, newDeliveryRow } from "./deliveryRows.js";
import { endpointFilter, loadEndpointRow } from "./endpointRow.js";

/** Events per round trip: a window of months must not become one statement with a million ids. */
const CHUNK_SIZE = 500;

type Endpoint = Pick<WebhookEndpointsTable, "id" | "org_id" | "events">;

interface EventWindow {
  since: string;
  /** Exclusive, so consecutive windows never replay an event twice. */
  until?: string | undefined;
}

/** The org's real (non-test) events stored in the window that the endpoint's filter takes. */
function eventsFor(tx: Tx, endpoint: Endpoint, window: EventWindow) {
  const filter = endpointFilter(endpoint);
  let query = tx
    .selectFrom("events")
    .where("org_id", "=", endpoint.org_id)
    .where("is_test", "=", 0)
    .where("created_at", ">=", window.since);
  if (window.until !== undefined) query = query.where("created_at", "<", window.until);
  if (!filter.includes("*")) query = query.where("type", "in", filter);
  return query;
}

/** How many matching events since `since` this endpoint never received successfully. */
export async function countMissedEvents(tx: Tx, endpoint: Endpoint, since: string): Promise<number> {
  const { count } = await eventsFor(tx, endpoint, { since })
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("webhook_deliveries")
            .select("webhook_deliveries.id")
            .whereRef("webhook_deliveries.event_id", "=", "events.id")
            .where("webhook_deliveries.endpoint_id", "=", endpoint.id)
            .where("webhook_deliveries.status", "=", "succeeded"),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(count);
}

interface EventKey {
  id: string;
  type: string;
  created_at: string;
}

async function nextChunk(
  tx: Tx,
  endpoint: Endpoint,
  window: EventWindow,
  after: EventKey | undefined,
): Promise<EventKey[]> {
  let query = eventsFor(tx, endpoint, window).select(["id", "type", "created_at"]);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", ">", after.created_at),
        eb.and([eb("created_at", "=", after.created_at), eb("id", ">", after.id)]),
      ]),
    );
  }
  return query.orderBy("created_at").orderBy("id").limit(CHUNK_SIZE).execute();
}

/**
 * Makes the chunk's failed deliveries pending again and creates the missing ones; pending and
 * succeeded ones are left alone. Returns how many deliveries became pending.
 */
async function recoverChunk(tx: Tx, endpoint: Endpoint, events: EventKey[], now: string): Promise<number> {
  const existing = await tx
    .selectFrom("webhook_deliveries")
    .select(["event_id", "status"])
    .where("endpoint_id", "=", endpoint.id)
    .where(
      "event_id",
      "in",
      events.map((e) => e.id),
    )
    .execute();
  const known = new Set(existing.map((d) => d.event_id));
  const failed = existing.filter((d) => d.status === "failed").map((d) => d.event_id);
  const missing = events.filter((e) => !known.has(e.id));
  let recovered = 0;
  if (failed.length > 0) {
    const result = await tx
      .updateTable("webhook_deliveries")
      .set(dueAgain(now))
      .where("endpoint_id", "=", endpoint.id)
      // Re-checked here: a delivery another replay already revived is not counted twice.
      .where("status", "=", "failed")
      .where("event_id", "in", failed)
      .executeTakeFirst();
    recovered += Number(result.numUpdatedRows);
  }
  if (missing.length > 0) {
    const result = await tx
      .insertInto("webhook_deliveries")
      .values(
        missing.map((event) =>
          newDeliveryRow(
            { orgId: endpoint.org_id, endpointId: endpoint.id, eventId: event.id, eventType: event.type },
            now,
            now,
          ),
        ),
      )
      // Fan-out or a concurrent recover may have created it meanwhile: one delivery either way.
      .onConflict((oc) => oc.columns(["endpoint_id", "event_id"]).doNothing())
      .executeTakeFirst();
    recovered += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return recovered;
}

/**
 * Replays the window to the endpoint: every matching event it has not received (failed, or never
 * fanned out to it because it was disabled or did not exist yet) gets a pending delivery.
 * Idempotent: a second call finds nothing left to revive.
 */
export async function recoverEndpoint(
  ctx: DomainContext,
  orgId: string,
  endpointId: string,
  input: { since: Date; until?: Date | undefined },
): Promise<{ recovered: number }> {
  if (input.until !== undefined && input.until <= input.since) {
    throw invalid("until", "must be later than since");
  }
  const window: EventWindow = { since: toIso(input.since), until: input.until && toIso(input.until) };
  return inTransaction(ctx, async (tx, _emit, wake) => {
    const endpoint = await loadEndpointRow(tx, orgId, endpointId);
    if (endpoint.enabled === 0) {
      throw new DomainError("CONFLICT", "The webhook endpoint is disabled; enable it first, then recover.");
    }
    const now = toIso(ctx.clock.now());
    let recovered = 0;
    let after: EventKey | undefined;
    for (;;) {
      const chunk = await nextChunk(tx, endpoint, window, after);
      recovered += chunk.length === 0 ? 0 : await recoverChunk(tx, endpoint, chunk, now);
      after = chunk.at(-1);
      if (chunk.length < CHUNK_SIZE) break;
    }
    if (recovered > 0) wake();
    return { recovered };
  });
}
