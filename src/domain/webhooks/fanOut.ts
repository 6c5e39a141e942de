import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { WebhookDeliveriesTable } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { newDeliveryRow } from "./deliveryRows.js";
import { endpointFilter } from "./endpointRow.js";

/** An endpoint's filter: `["*"]` takes every event, else the listed names. */
export function endpointWants(filter: readonly string[], eventType: string): boolean {
  return filter.includes("*") || filter.includes(eventType);
}

const DELIVERY_COLUMNS = [
  { name: "id", type: "text" },
  { name: "org_id", type: "text" },
  { name: "endpoint_id", type: "text" },
  { name: "event_id", type: "text" },
  { name: "event_type", type: "text" },
  { name: "status", type: "text" },
  { name: "attempts", type: "integer" },
  { name: "next_attempt_at", type: "text" },
  { name: "locked_by", type: "text" },
  { name: "locked_until", type: "text" },
  { name: "last_status_code", type: "integer" },
  { name: "last_error", type: "text" },
  { name: "created_at", type: "text" },
  { name: "updated_at", type: "text" },
  { name: "completed_at", type: "text" },
] as const satisfies JsonColumns<keyof WebhookDeliveriesTable>;

/**
 * One pending delivery per enabled endpoint of the event's org whose filter matches, written in
 * the transaction that stores the events: if an event commits, its deliveries exist (no window in
 * which a crash loses one). Each org's endpoints are read once per call. Returns the endpoints
 * that got deliveries.
 */
export async function fanOutEvents(
  tx: Tx,
  database: { capabilities: Capabilities },
  events: readonly { id: string; orgId: string; type: string }[],
  now: Date,
): Promise<Set<string>> {
  const endpointsByOrg = new Map<string, { id: string; filter: string[] }[]>();
  for (const orgId of new Set(events.map((e) => e.orgId))) {
    const rows = await tx
      .selectFrom("webhook_endpoints")
      .select(["id", "events"])
      .where("org_id", "=", orgId)
      .where("enabled", "=", 1)
      .execute();
    endpointsByOrg.set(
      orgId,
      rows.map((e) => ({ id: e.id, filter: endpointFilter(e) })),
    );
  }
  const at = toIso(now);
  const rows = events.flatMap((event) =>
    (endpointsByOrg.get(event.orgId) ?? [])
      .filter((endpoint) => endpointWants(endpoint.filter, event.type))
      .map((endpoint) =>
        newDeliveryRow(
          { orgId: event.orgId, endpointId: endpoint.id, eventId: event.id, eventType: event.type },
          at,
          at,
        ),
      ),
  );
  if (rows.length > 0)
    await insertJsonRows(database, "webhook_deliveries", DELIVERY_COLUMNS, rows).execute(tx);
  return new Set(rows.map((r) => r.endpoint_id));
}
