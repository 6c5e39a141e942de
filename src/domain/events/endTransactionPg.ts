import { sql, type Transaction } from "kysely";
import { toIso } from "../../clock.js";
import type { DB, EventsTable } from "../../db/schema.js";
import { pendingLeadsOf, type SyncStamp } from "../syncClock.js";
import {
  claimArgument,
  claimedDeliveries,
  type DeliveryHandoff,
  type DeliveryToSend,
} from "../webhooks/handoff.js";
import { DELIVERIES_CHANNEL, MAX_NOTIFY_PAYLOAD } from "../webhooks/wakeups.js";

/** An event as `writeEvents` holds it before its org's stamp; `created_at` and `seq` come from the clock. */
export type UnstampedEvent = Pick<
  EventsTable,
  "id" | "org_id" | "type" | "lead_id" | "body" | "occurred_at"
> & {
  is_test: 0 | 1;
};

/** An event as the functions of migrations 0016 to 0018 take it: one JSON array. */
export function eventTuple(e: UnstampedEvent): unknown[] {
  return [e.id, e.org_id, e.type, e.lead_id, e.body, e.occurred_at, e.is_test];
}

/** The endpoints with new due deliveries, as those functions list them (comma-separated). */
export function wokenEndpoints(list: string): string[] {
  return list === "" ? [] : list.split(",");
}

/**
 * PostgreSQL: the end of one org's part of a transaction, in one call of the function
 * `lw_end_transaction` (migration 0016, where the statement is; a function keeps its plan for
 * the session instead of parsing and planning it on every call). It takes the org's
 * sync clock, stamps the leads this transaction marked (syncClock.ts, `leadStamp`), inserts the
 * org's events with the stamp, makes a pending delivery of each for every enabled endpoint of the
 * org whose filter takes it (fanOut.ts does the same in code on SQLite) and NOTIFYs the
 * dispatchers (sent at the commit). Since migration 0018 the deliveries this process's
 * dispatcher has room for are written claimed by it instead, and returned (handoff.ts).
 *
 * One statement because the clock row stays locked to the commit and every commit of the org
 * waits for it, and because each round trip to the server costs both sides more CPU than the
 * work it carries: a change is now one statement here and its commit, where it was six. It never
 * waits on another transaction's row while it holds the clock: it writes only rows the
 * transaction holds already (its leads) or new ones, and reads the endpoints without locking them.
 *
 * Delivery ids are made there: the millisecond (as a UUIDv7 starts), the row's place in this
 * statement, then random bits, so one transaction's deliveries sort in the order of its events.
 */
export async function endTransactionForOrg(
  tx: Transaction<DB>,
  orgId: string,
  now: Date,
  events: readonly UnstampedEvent[],
  wakeAll: boolean,
  handoff: DeliveryHandoff | undefined,
): Promise<{ stamp: SyncStamp; woken: string[]; claimed: DeliveryToSend[] }> {
  const at = toIso(now);
  const leads = pendingLeadsOf(tx, orgId);
  const rows = JSON.stringify(events.map(eventTuple));
  const result = await sql<{ o_seq: string | number; o_at: string; o_woken: string; o_claimed: unknown }>`
    select o_seq, o_at, o_woken, o_claimed from lw_end_transaction(
      ${orgId}, ${at}, ${JSON.stringify(leads.all)}::jsonb, ${JSON.stringify(leads.created)}::jsonb,
      ${JSON.stringify(leads.deleted)}::jsonb, ${rows}::jsonb, ${wakeAll}, ${DELIVERIES_CHANNEL},
      ${MAX_NOTIFY_PAYLOAD}, ${claimArgument(handoff, now)}::jsonb
    )`.execute(tx);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`the sync clock of org ${orgId} returned no row`);
  return {
    stamp: { seq: Number(row.o_seq), at: row.o_at },
    woken: wokenEndpoints(row.o_woken),
    claimed: claimedDeliveries(row.o_claimed, orgId, new Map(events.map((e) => [e.id, e]))),
  };
}
