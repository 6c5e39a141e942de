import type { Insertable, Selectable } from "kysely";
import { z } from "zod";
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { AttemptView } from "./types.js";

/**
 * A new delivery of one event to one endpoint. `nextAttemptAt` null keeps it out of the
 * background dispatcher (explicit sends only).
 */
export function newDeliveryRow(
  input: { orgId: string; endpointId: string; eventId: string; eventType: string },
  at: string,
  nextAttemptAt: string | null,
): Insertable<WebhookDeliveriesTable> {
  return {
    id: newId("whd"),
    org_id: input.orgId,
    endpoint_id: input.endpointId,
    event_id: input.eventId,
    event_type: input.eventType,
    status: "pending",
    attempts: 0,
    next_attempt_at: nextAttemptAt,
    locked_by: null,
    locked_until: null,
    last_status_code: null,
    last_error: null,
    created_at: at,
    updated_at: at,
    completed_at: null,
  };
}

/** Makes a delivery due now again (retry, recover), keeping its attempts and their history. */
export function dueAgain(now: string) {
  return {
    status: "pending" as const,
    next_attempt_at: now,
    locked_by: null,
    locked_until: null,
    completed_at: null,
    updated_at: now,
  };
}

const storedHeadersSchema = z.record(z.string(), z.string());

/** The stored `request_headers` JSON, checked; null when the attempt predates them. */
function readRequestHeaders(stored: string | null): Record<string, string> | null {
  return stored === null ? null : storedHeadersSchema.parse(JSON.parse(stored));
}

/** A stored attempt as the API shows it. */
export function toAttemptView(row: Selectable<WebhookAttemptsTable>): AttemptView {
  return attemptView(row, readRequestHeaders(row.request_headers));
}

/** An attempt being recorded, with the headers already in hand (not read back from JSON). */
export function attemptView(
  row: Selectable<WebhookAttemptsTable> | Insertable<WebhookAttemptsTable>,
  requestHeaders: Record<string, string> | null,
): AttemptView {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    attemptedAt: row.attempted_at,
    durationMs: row.duration_ms,
    statusCode: row.status_code ?? null,
    responseBody: row.response_body ?? null,
    error: row.error ?? null,
    succeeded: row.succeeded === 1,
    requestHeaders,
  };
}
