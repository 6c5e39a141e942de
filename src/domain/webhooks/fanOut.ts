import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { WebhookDeliveriesTable } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { newDeliveryRow } from "./deliveryRows.js";
import { endpointFilter } from "./endpointRow.js";
import { type DeliveryToSend, deliveryToSend, type HandoffClaim, type SendingEndpoint } from "./handoff.js";

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

/** What a fan-out made: the endpoints with new due deliveries, and the deliveries claimed for this process. */
export interface FanOut {
  woken: Set<string>;
  claimed: DeliveryToSend[];
}

/**
 * One pending delivery per enabled endpoint of the event's org whose filter matches, written in
 * the transaction that stores the events: if an event commits, its deliveries exist (no window in
 * which a crash loses one). Each org's endpoints are read once per call. With a `claim`, each
 * endpoint's first deliveries, up to its room, are written claimed for this process's dispatcher
 * (handoff.ts) and returned with what sending them needs; the others are due now.
 */
export async function fanOutEvents(
  tx: Tx,
  database: { capabilities: Capabilities },
  events: readonly { id: string; orgId: string; type: string; body: string; isTest: 0 | 1 }[],
  now: Date,
  claim: HandoffClaim | undefined,
): Promise<FanOut> {
  const endpointsByOrg = new Map<string, Endpoint[]>();
  for (const orgId of new Set(events.map((e) => e.orgId))) {
    const rows = await tx
      .selectFrom("webhook_endpoints")
      .select([
        "id",
        "events",
        "url",
        "secret",
        "previous_secret",
        "previous_secret_expires_at",
        "max_concurrency",
        "rate_limit_per_second",
      ])
      .where("org_id", "=", orgId)
      .where("enabled", "=", 1)
      .execute();
    endpointsByOrg.set(
      orgId,
      rows.map((e) => ({ ...e, filter: endpointFilter(e) })),
    );
  }
  const at = toIso(now);
  const taken = new Map<string, number>();
  const woken = new Set<string>();
  const claimed: DeliveryToSend[] = [];
  const rows = events.flatMap((event) =>
    (endpointsByOrg.get(event.orgId) ?? [])
      .filter((endpoint) => endpointWants(endpoint.filter, event.type))
      .map((endpoint) => {
        const input = {
          orgId: event.orgId,
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
        };
        const count = taken.get(endpoint.id) ?? 0;
        if (claim === undefined || count >= (claim.room[endpoint.id] ?? claim.defaultRoom)) {
          woken.add(endpoint.id);
          return newDeliveryRow(input, at, at);
        }
        taken.set(endpoint.id, count + 1);
        const row = {
          ...newDeliveryRow(input, at, claim.until),
          locked_by: claim.workerId,
          locked_until: claim.until,
        };
        claimed.push(deliveryToSend(row.id, event, endpoint));
        return row;
      }),
  );
  if (rows.length > 0)
    await insertJsonRows(database, "webhook_deliveries", DELIVERY_COLUMNS, rows).execute(tx);
  return { woken, claimed };
}

type Endpoint = SendingEndpoint & { filter: string[] };
