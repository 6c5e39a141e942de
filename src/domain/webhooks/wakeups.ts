import { sql } from "kysely";
import type { Capabilities } from "../../db/database.js";
import type { Tx } from "../context.js";

/** The LISTEN/NOTIFY channel dispatchers listen on (PostgreSQL). */
export const DELIVERIES_CHANNEL = "leadwire_deliveries";

/** NOTIFY payloads are limited to 8000 bytes; a longer list is sent as "any endpoint". */
export const MAX_NOTIFY_PAYLOAD = 7000;

/**
 * Tells every dispatcher process that deliveries are due, naming the endpoints when known (a
 * dispatcher whose slots for those endpoints are full need not look). Sent inside the
 * transaction, so PostgreSQL delivers it exactly when the rows become visible (on commit).
 */
export async function notifyDeliveriesDue(
  tx: Tx,
  capabilities: Capabilities,
  endpointIds?: readonly string[],
): Promise<void> {
  if (!capabilities.listenNotify) return;
  const list = endpointIds?.join(",") ?? "";
  await sql`select pg_notify(${DELIVERIES_CHANNEL}, ${list.length > MAX_NOTIFY_PAYLOAD ? "" : list})`.execute(
    tx,
  );
}

/** The endpoints a NOTIFY payload names; undefined means any endpoint. */
export function endpointsOfPayload(payload: string | undefined): string[] | undefined {
  return payload ? payload.split(",") : undefined;
}
