import { toIso } from "../../clock.js";
import type { Tx } from "../context.js";
import { newDeliveryRow } from "./deliveryRows.js";

/** An endpoint's filter: `["*"]` takes every event, else the listed names. */
export function endpointWants(filter: readonly string[], eventType: string): boolean {
  return filter.includes("*") || filter.includes(eventType);
}

/**
 * One pending delivery per enabled endpoint of the org whose filter matches, written in the
 * transaction that stores the event: if the event commits, its deliveries exist (no window in
 * which a crash loses one). Returns how many were created.
 */
export async function fanOutEvent(
  tx: Tx,
  event: { id: string; orgId: string; type: string },
  now: Date,
): Promise<number> {
  const endpoints = await tx
    .selectFrom("webhook_endpoints")
    .select(["id", "events"])
    .where("org_id", "=", event.orgId)
    .where("enabled", "=", 1)
    .execute();
  const targets = endpoints.filter((e) => endpointWants(JSON.parse(e.events) as string[], event.type));
  if (targets.length === 0) return 0;
  const at = toIso(now);
  await tx
    .insertInto("webhook_deliveries")
    .values(
      targets.map((endpoint) =>
        newDeliveryRow(
          { orgId: event.orgId, endpointId: endpoint.id, eventId: event.id, eventType: event.type },
          at,
          at,
        ),
      ),
    )
    .execute();
  return targets.length;
}
