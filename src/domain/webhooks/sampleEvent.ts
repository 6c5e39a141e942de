import { toIso } from "../../clock.js";
import { newEventId, newId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import {
  additionalInfoUpdatedData,
  doNotContactData,
  type EventDataByType,
  type EventType,
  type LeadRef,
  leadTaggedData,
  messageReceivedData,
  messageSentData,
  notificationData,
  optOutData,
  serializeEnvelope,
} from "../events/catalog.js";
import { newDeliveryRow } from "./deliveryRows.js";
import { loadEndpointRow } from "./endpointRow.js";
import type { AttemptView, WebhookActions } from "./types.js";

const lead: LeadRef = {
  leadId: "00000000-0000-7000-8000-000000000000",
  externalLeadId: null,
  phone: "+12025550189",
};
const profile = "Sample Profile";
const text = "This is a test event from Leadwire.";
const subject = "Test event from Leadwire";

/**
 * A realistic payload per event type, built by the same builders as real events so receivers
 * see the exact shape they will get. Messages are samples of email so the optional
 * `content.subject` shows up too.
 */
const samples: { [T in EventType]: () => EventDataByType[T] } = {
  "message.sent": () =>
    messageSentData({ lead, channel: "email", profile, followUpStep: null, subject, text }),
  "message.received": () => messageReceivedData({ lead, channel: "email", profile, subject, text }),
  optOut: () =>
    optOutData({
      lead,
      channel: "sms",
      optOutReason: null,
      isTwilioOptOut: true,
      optOutMessage: text,
      isDoNotContact: false,
    }),
  doNotContact: () => doNotContactData({ lead, email: "sample.lead@example.com", optOutMessage: text }),
  leadTagged: () => leadTaggedData({ lead, channel: "manual", tag: "isHot" }),
  notification: () =>
    notificationData({
      lead,
      channel: "sms",
      notificationName: "Sample notification",
      notificationMessage: text,
    }),
  "lead.additionalInfo.updated": () =>
    additionalInfoUpdatedData({ lead, changes: { sample: { old: null, new: text } } }),
};

export function samplePayload<T extends EventType>(type: T, eventId: string, at: Date): string {
  return serializeEnvelope(type, eventId, samples[type](), at);
}

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
