import { toIso } from "../../clock.js";
import { newId } from "../../ids.js";
import type { Tx } from "../context.js";

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
      targets.map((endpoint) => ({
        id: newId("whd"),
        org_id: event.orgId,
        endpoint_id: endpoint.id,
        event_id: event.id,
        event_type: event.type,
        status: "pending" as const,
        attempts: 0,
        next_attempt_at: at,
        locked_by: null,
        locked_until: null,
        last_status_code: null,
        last_error: null,
        created_at: at,
        updated_at: at,
        completed_at: null,
      })),
    )
    .execute();
  return targets.length;
}
