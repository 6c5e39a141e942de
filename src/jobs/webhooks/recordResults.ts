import { sql } from "kysely";
import { toIso } from "../../clock.js";
import { inJsonList, insertJsonRows, type JsonColumns, updateFromJsonRows } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import type { WebhookDeliveriesTable } from "../../db/schema.js";
import type { Tx } from "../../domain/context.js";
import { attemptView } from "../../domain/webhooks/deliveryRows.js";
import { DISABLE_AFTER_FAILING_MS, nextRetryDelayMs } from "../../domain/webhooks/retryPolicy.js";
import type { WebhookResponse } from "../../domain/webhooks/transport.js";
import type { AttemptView } from "../../domain/webhooks/types.js";
import { newId } from "../../ids.js";
import { parseRetryAfter } from "../../retryAfter.js";
import { relaxDurability } from "./relaxDurability.js";

export interface AttemptResult {
  deliveryId: string;
  orgId: string;
  endpointId: string;
  /** Attempts before this one. */
  attemptsBefore: number;
  attemptedAt: Date;
  response: WebhookResponse;
  /** The claim to honour: only the holder may move the delivery on (null: an explicit send). */
  lockedBy: string | null;
  /** Test sends are never retried. */
  oneShot: boolean;
}

export type Outcome = "succeeded" | "retrying" | "failed";

export type Recorded = { outcome: Outcome; attempt: AttemptView };

export function isSuccess(response: WebhookResponse): boolean {
  return response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
}

function attemptRow(result: AttemptResult) {
  return {
    id: newId("wha"),
    delivery_id: result.deliveryId,
    org_id: result.orgId,
    attempted_at: toIso(result.attemptedAt),
    duration_ms: result.response.durationMs,
    status_code: result.response.statusCode,
    response_body: result.response.body,
    error: result.response.error,
    succeeded: isSuccess(result.response) ? (1 as const) : (0 as const),
    worker_id: result.lockedBy,
    request_headers: JSON.stringify(result.response.requestHeaders),
  };
}

async function recordFailure(
  tx: Tx,
  result: AttemptResult,
  now: Date,
  schedule: readonly number[],
  random: () => number,
): Promise<Outcome> {
  const { response } = result;
  const failures = result.attemptsBefore + 1;
  const delay =
    result.oneShot || response.statusCode === 410
      ? undefined
      : nextRetryDelayMs(
          failures,
          schedule,
          {
            statusCode: response.statusCode,
            timedOut: response.timedOut,
            retryAfterMs: parseRetryAfter(response.retryAfter, now),
          },
          random,
        );
  const at = toIso(now);
  let update = tx
    .updateTable("webhook_deliveries")
    .set({
      status: delay === undefined ? "failed" : "pending",
      attempts: failures,
      next_attempt_at: delay === undefined ? null : toIso(new Date(now.getTime() + delay)),
      locked_by: null,
      locked_until: null,
      last_status_code: response.statusCode,
      last_error: response.error ?? `HTTP ${response.statusCode}`,
      updated_at: at,
      completed_at: delay === undefined ? at : null,
    })
    .where("id", "=", result.deliveryId);
  if (result.lockedBy !== null) update = update.where("locked_by", "=", result.lockedBy);
  await update.execute();
  return delay === undefined ? "failed" : "retrying";
}

/** 410 Gone disables at once; five days of nothing but failures disables too. */
async function updateFailingEndpoint(
  tx: Tx,
  endpointId: string,
  statusCode: number | null,
  now: Date,
): Promise<void> {
  const at = toIso(now);
  if (statusCode === 410) {
    await tx
      .updateTable("webhook_endpoints")
      .set({ enabled: 0, disabled_reason: "gone", disabled_at: at, updated_at: at })
      .where("id", "=", endpointId)
      .where("enabled", "=", 1)
      .execute();
    return;
  }
  await tx
    .updateTable("webhook_endpoints")
    .set({ failing_since: sql<string>`coalesce(failing_since, ${at})` })
    .where("id", "=", endpointId)
    .execute();
  await tx
    .updateTable("webhook_endpoints")
    .set({ enabled: 0, disabled_reason: "failing", disabled_at: at, updated_at: at })
    .where("id", "=", endpointId)
    .where("enabled", "=", 1)
    .where("failing_since", "<=", toIso(new Date(now.getTime() - DISABLE_AFTER_FAILING_MS)))
    .execute();
}

/** webhook_attempts columns in the order `insertJsonRows` takes them. */
export const ATTEMPT_COLUMNS = [
  { name: "id", type: "text" },
  { name: "delivery_id", type: "text" },
  { name: "org_id", type: "text" },
  { name: "attempted_at", type: "text" },
  { name: "duration_ms", type: "integer" },
  { name: "status_code", type: "integer" },
  { name: "response_body", type: "text" },
  { name: "error", type: "text" },
  { name: "succeeded", type: "integer" },
  { name: "worker_id", type: "text" },
  { name: "request_headers", type: "text" },
] as const satisfies readonly { name: keyof ReturnType<typeof attemptRow>; type: "text" | "integer" }[];

async function insertAttempts(
  tx: Tx,
  database: Database,
  rows: ReturnType<typeof attemptRow>[],
): Promise<void> {
  await insertJsonRows(database, "webhook_attempts", ATTEMPT_COLUMNS, rows).execute(tx);
}

/** A delivery whose attempt succeeded: done, its claim let go. */
function succeededColumns(result: AttemptResult, at: string) {
  return {
    status: "succeeded",
    attempts: result.attemptsBefore + 1,
    next_attempt_at: null,
    locked_by: null,
    locked_until: null,
    last_status_code: result.response.statusCode,
    last_error: null,
    updated_at: at,
    completed_at: at,
  } as const;
}

async function recordSuccesses(
  tx: Tx,
  database: Database,
  results: AttemptResult[],
  now: Date,
): Promise<void> {
  const at = toIso(now);
  // Grouped by (status code, attempts, lock holder) so a burst of 200s is a handful of statements.
  const groups = new Map<string, AttemptResult[]>();
  for (const r of results) {
    const key = `${r.response.statusCode}|${r.attemptsBefore}|${r.lockedBy}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const first = group[0] as AttemptResult;
    let update = tx
      .updateTable("webhook_deliveries")
      .set(succeededColumns(first, at))
      .where(
        inJsonList(
          database,
          "id",
          group.map((r) => r.deliveryId),
        ),
      );
    if (first.lockedBy !== null) update = update.where("locked_by", "=", first.lockedBy);
    await update.execute();
  }
  const endpoints = [...new Set(results.map((r) => r.endpointId))];
  await tx
    .updateTable("webhook_endpoints")
    .set({ failing_since: null })
    .where("id", "in", endpoints)
    .where("failing_since", "is not", null)
    .execute();
}

const DELIVERY_KEY = [
  { name: "id", type: "text" },
  { name: "locked_by", type: "text" },
] as const satisfies JsonColumns<"id" | "locked_by">;

const SUCCEEDED_COLUMNS = [
  { name: "status", type: "text" },
  { name: "attempts", type: "integer" },
  { name: "next_attempt_at", type: "text" },
  { name: "locked_by", type: "text" },
  { name: "locked_until", type: "text" },
  { name: "last_status_code", type: "integer" },
  { name: "last_error", type: "text" },
  { name: "updated_at", type: "text" },
  { name: "completed_at", type: "text" },
] as const satisfies JsonColumns<keyof WebhookDeliveriesTable>;

/**
 * PostgreSQL, a batch of claimed deliveries that all succeeded (a burst's usual batch): the
 * attempts, the deliveries moved on (each only while its claim is still ours) and the endpoints'
 * failure marks cleared, as one statement and so one round trip, where the transaction took six.
 * It is its own transaction and waits for its flush (there is none to relax it in).
 */
async function recordClaimedSuccesses(
  database: Database,
  rows: ReturnType<typeof attemptRow>[],
  results: (AttemptResult & { lockedBy: string })[],
  now: Date,
): Promise<void> {
  const at = toIso(now);
  const delivered = updateFromJsonRows(
    database,
    "webhook_deliveries",
    DELIVERY_KEY,
    SUCCEEDED_COLUMNS,
    results.map((r) => ({
      match: { id: r.deliveryId, locked_by: r.lockedBy },
      set: succeededColumns(r, at),
    })),
  );
  const endpoints = [...new Set(results.map((r) => r.endpointId))];
  await sql`
    with attempts as (${insertJsonRows(database, "webhook_attempts", ATTEMPT_COLUMNS, rows)}),
      delivered as (${delivered})
    update webhook_endpoints set failing_since = null
    where ${inJsonList(database, "id", endpoints)} and failing_since is not null`.execute(database.db);
}

/**
 * Stores a batch of attempts and moves each delivery on (succeeded, retry later, or failed) in
 * one transaction. Returns each result's outcome and attempt, in input order.
 */
export async function recordResults(
  database: Database,
  results: AttemptResult[],
  options: { now: Date; schedule: readonly number[]; random?: () => number },
): Promise<Recorded[]> {
  if (results.length === 0) return [];
  const rows = results.map(attemptRow);
  const claimedSuccesses = results.filter(
    (r): r is AttemptResult & { lockedBy: string } => isSuccess(r.response) && r.lockedBy !== null,
  );
  if (!database.capabilities.singleWriter && claimedSuccesses.length === results.length) {
    await recordClaimedSuccesses(database, rows, claimedSuccesses, options.now);
    return rows.map((row, i) => ({
      outcome: "succeeded",
      attempt: attemptView(row, results[i]?.response.requestHeaders ?? null),
    }));
  }
  const outcomes: Outcome[] = [];
  await database.db.transaction().execute(async (tx) => {
    await relaxDurability(tx, database);
    await insertAttempts(tx, database, rows);
    const successes = results.filter((r) => isSuccess(r.response));
    if (successes.length > 0) await recordSuccesses(tx, database, successes, options.now);
    for (const r of results) {
      if (isSuccess(r.response)) {
        outcomes.push("succeeded");
        continue;
      }
      outcomes.push(await recordFailure(tx, r, options.now, options.schedule, options.random ?? Math.random));
      await updateFailingEndpoint(tx, r.endpointId, r.response.statusCode, options.now);
    }
  });
  return rows.map((row, i) => ({
    outcome: outcomes[i] ?? "failed",
    attempt: attemptView(row, results[i]?.response.requestHeaders ?? null),
  }));
}
