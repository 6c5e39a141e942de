import type { WebhookEndpointsTable } from "../../db/schema.js";
import type { Tx } from "../context.js";
import { notFound } from "../errors.js";

/** The endpoint of this org, or 404: another org's endpoint is indistinguishable from none. */
export async function loadEndpointRow(
  tx: Tx,
  orgId: string,
  endpointId: string,
): Promise<WebhookEndpointsTable> {
  const row = await tx
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", endpointId)
    .executeTakeFirst();
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

/** The stored event filter: `["*"]` or event names. */
export function endpointFilter(row: Pick<WebhookEndpointsTable, "events">): string[] {
  return JSON.parse(row.events) as string[];
}
