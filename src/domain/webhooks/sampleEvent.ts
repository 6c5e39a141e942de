import { toIso } from "../../clock.js";
import { newEventId, newId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import type { EventType } from "../events/catalog.js";
import { samplePayload } from "../events/samples.js";
import { newDeliveryRow } from "./deliveryRows.js";
import { loadEndpointRow } from "./endpointRow.js";
import type { AttemptView, WebhookActions } from "./types.js";

/**
 * Sends a sample event to this one endpoint, now, whatever its filter or state (an explicit user
 * action). The event is marked as a test so it stays out of the log, fan-out and replays, and
 * its delivery has no due time so the background dispatcher never picks it up: only this call
 * sends it, once.
 */
export async function sendTestEvent(
  ctx: DomainContext,
  webhooks: WebhookActions,
  orgId: string,
  endpointId: string,
  type: EventType,
): Promise<AttemptView> {
  const deliveryId = await ctx.db.transaction().execute(async (tx) => {
    const endpoint = await loadEndpointRow(tx, orgId, endpointId);
    const now = ctx.clock.now();
    const at = toIso(now);
    const eventId = newEventId();
    await tx
      .insertInto("events")
      .values({
        id: eventId,
        org_id: orgId,
        type,
        lead_id: null,
        body: samplePayload(type, eventId, now),
        occurred_at: at,
        created_at: at,
        is_test: 1,
      })
      .execute();
    const id = newId("whd");
    await tx
      .insertInto("webhook_deliveries")
      .values({
        ...newDeliveryRow({ orgId, endpointId: endpoint.id, eventId, eventType: type }, at, null),
        id,
      })
      .execute();
    return id;
  });
  return webhooks.deliverNow(deliveryId);
}
