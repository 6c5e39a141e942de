import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../context.js";
import type { BucketCount } from "./buckets.js";

/**
 * The counts behind the overview, one org at a time. Most read one partial index of migration
 * 0011 (index-only on both backends): a partial index serves a query only when the query repeats
 * its condition with the same literal, so those conditions are written as literals (`sql.lit`),
 * never bound parameters, and every range starts at a stored-timestamp bound (`>= since`).
 * Grouping is by a prefix of the ISO text timestamp, written without parameters so PostgreSQL
 * sees the SELECT and GROUP BY expressions as the same.
 */

/** `substr(column, 1, length)`: the day (10) or hour (13) of an ISO timestamp column. */
function prefix(column: string, length: number): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(column)}, 1, ${sql.raw(String(Math.trunc(length)))})`;
}

/** Outbound messages sent since `since`, by timestamp prefix (index messages_org_sent_idx). */
export function sentBy(db: Tx, orgId: string, since: string, length: number): Promise<BucketCount[]> {
  return db
    .selectFrom("messages")
    .select([prefix("sent_at", length).as("bucket"), (eb) => eb.fn.countAll<number>().as("count")])
    .where("org_id", "=", orgId)
    .where("sent_at", ">=", since)
    .groupBy(prefix("sent_at", length))
    .execute();
}

/** Inbound messages received since `since`, by timestamp prefix (messages_org_inbound_idx). */
export function receivedBy(db: Tx, orgId: string, since: string, length: number): Promise<BucketCount[]> {
  return db
    .selectFrom("messages")
    .select([prefix("created_at", length).as("bucket"), (eb) => eb.fn.countAll<number>().as("count")])
    .where("org_id", "=", orgId)
    .where("direction", "=", sql.lit("inbound"))
    .where("created_at", ">=", since)
    .groupBy(prefix("created_at", length))
    .execute();
}

/** `optOut` events since `since`, test samples excluded, by prefix (events_org_type_created_idx). */
export function optOutsBy(db: Tx, orgId: string, since: string, length: number): Promise<BucketCount[]> {
  return db
    .selectFrom("events")
    .select([prefix("created_at", length).as("bucket"), (eb) => eb.fn.countAll<number>().as("count")])
    .where("org_id", "=", orgId)
    .where("type", "=", "optOut")
    .where("is_test", "=", sql.lit(0))
    .where("created_at", ">=", since)
    .groupBy(prefix("created_at", length))
    .execute();
}

export interface OutcomeCount extends BucketCount {
  status: string;
}

/**
 * Deliveries finished since `since`, by prefix and final status: the org's
 * (webhook_deliveries_org_completed_idx), or one endpoint's (webhook_deliveries_endpoint_completed_idx).
 */
export function finishedDeliveriesBy(
  db: Tx,
  orgId: string,
  since: string,
  length: number,
  endpointId?: string,
): Promise<OutcomeCount[]> {
  let query = db
    .selectFrom("webhook_deliveries")
    .select([
      prefix("completed_at", length).as("bucket"),
      "status",
      (eb) => eb.fn.countAll<number>().as("count"),
    ])
    .where("org_id", "=", orgId);
  if (endpointId !== undefined) query = query.where("endpoint_id", "=", endpointId);
  return query
    .where("completed_at", ">=", since)
    .groupBy([prefix("completed_at", length), "status"])
    .execute();
}

/** Live leads (an index-only count over leads_search_idx, whose rows are the live leads). */
export async function countLiveLeads(db: Tx, orgId: string): Promise<number> {
  const row = await db
    .selectFrom("leads")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("org_id", "=", orgId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Messages in `unknown`, waiting for an operator: few, found through messages_due_idx (status, due_at). */
export async function countUnknownMessages(db: Tx, orgId: string): Promise<number> {
  const row = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("org_id", "=", orgId)
    .where("status", "=", "unknown")
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export interface SentAndReplies {
  /** Messages sent since `since`, and since `today`. */
  sent: number;
  sentToday: number;
  /** Leads sent a message since `since`, and how many of them wrote back after the first of those. */
  messaged: number;
  replied: number;
}

/**
 * One pass over the window's sent messages (one row per lead: first send, how many) joined to its
 * inbound ones (one row per lead: last received). Grouping each side by lead before the join
 * lets PostgreSQL estimate the groups from the column's statistics and hash them, where one
 * grouping over a union of both sorted them, twice as slow.
 */
export async function countSentAndReplies(
  db: Tx,
  orgId: string,
  since: string,
  today: string,
): Promise<SentAndReplies> {
  const sent = db
    .selectFrom("messages")
    .select([
      "lead_id",
      (eb) => eb.fn.min("sent_at").as("first_sent"),
      (eb) => eb.fn.countAll<number>().as("sent"),
      sql<number>`sum(case when ${sql.ref("sent_at")} >= ${today} then 1 else 0 end)`.as("sent_today"),
    ])
    .where("org_id", "=", orgId)
    .where("sent_at", ">=", since)
    .groupBy("lead_id");
  const received = db
    .selectFrom("messages")
    .select(["lead_id", (eb) => eb.fn.max("created_at").as("last_received")])
    .where("org_id", "=", orgId)
    .where("direction", "=", sql.lit("inbound"))
    .where("created_at", ">=", since)
    .groupBy("lead_id");
  const row = await db
    .selectFrom(sent.as("s"))
    .leftJoin(received.as("r"), "r.lead_id", "s.lead_id")
    .select([
      (eb) => eb.fn.countAll<number>().as("messaged"),
      // PostgreSQL sums bigints as numeric, which pg returns as text: Number() below reads both.
      sql<number | string | null>`sum(${sql.ref("s.sent")})`.as("sent"),
      sql<number | string | null>`sum(${sql.ref("s.sent_today")})`.as("sent_today"),
      sql<
        number | string | null
      >`sum(case when ${sql.ref("r.last_received")} > ${sql.ref("s.first_sent")} then 1 else 0 end)`.as(
        "replied",
      ),
    ])
    .executeTakeFirst();
  return {
    sent: Number(row?.sent ?? 0),
    sentToday: Number(row?.sent_today ?? 0),
    messaged: Number(row?.messaged ?? 0),
    replied: Number(row?.replied ?? 0),
  };
}

/** `optOut` events since `since`, test samples excluded (events_org_type_created_idx). */
export async function countOptOuts(db: Tx, orgId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("org_id", "=", orgId)
    .where("type", "=", "optOut")
    .where("is_test", "=", sql.lit(0))
    .where("created_at", ">=", since)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Deliveries finished since `since`, and how many of them succeeded (webhook_deliveries_org_completed_idx). */
export async function countFinishedDeliveries(
  db: Tx,
  orgId: string,
  since: string,
): Promise<{ finished: number; succeeded: number }> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .select([
      (eb) => eb.fn.countAll<number>().as("finished"),
      sql<number | string | null>`sum(case when ${sql.ref("status")} = 'succeeded' then 1 else 0 end)`.as(
        "succeeded",
      ),
    ])
    .where("org_id", "=", orgId)
    .where("completed_at", ">=", since)
    .executeTakeFirst();
  return { finished: Number(row?.finished ?? 0), succeeded: Number(row?.succeeded ?? 0) };
}
