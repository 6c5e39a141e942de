import type { WebhookEndpointsTable } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { notFound } from "../errors.js";
import { endpointEventFilter } from "../jsonColumns.js";

/**
 * The endpoint of this org, or 404: another org's endpoint is indistinguishable from none.
 * `lock`: hold the row until the transaction ends, so concurrent edits and secret rotations apply
 * one after the other (a second rotation keeps the first one's secret as the previous one).
 */
export async function loadEndpointRow(
  tx: Tx,
  orgId: string,
  endpointId: string,
  lock = false,
): Promise<WebhookEndpointsTable> {
  const row = await tx
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", endpointId)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

/** The stored event filter: `["*"]` or event names. */
export function endpointFilter(row: Pick<WebhookEndpointsTable, "id" | "events">): string[] {
  return endpointEventFilter.read(row.events, row.id);
}
