import { type Kysely, sql } from "kysely";

/**
 * Indexes for the overview aggregates (domain/stats). Each is partial, holding only the rows one
 * count reads, and carries the columns that count needs, so the count is an index-only range
 * scan of one org's recent rows instead of a walk through its table. A query uses a partial
 * index only when its WHERE repeats the index's condition, with the same literal (see
 * domain/stats/statsQueries.ts).
 *
 * Each one was kept because dropping it, on 100,000 leads and 1,000,000 rows each of messages,
 * events and deliveries over 90 days (bench/stats.mjs), made a route slower than 200 ms on one
 * backend: without the sent index the overview took 2.5 s on SQLite; without the inbound one
 * 300 ms; without the events one the daily series 760 ms; without the deliveries one the
 * overview and the hourly series 2 s. The other counts need none: live leads take 23 ms on
 * SQLite with no index of their own (12 ms through the lead search index of 0012), and
 * `unknown` messages are few and found through messages_due_idx, which starts with status.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Messages sent (by sent_at), and the leads they went to (reply rate).
  await db.schema
    .createIndex("messages_org_sent_idx")
    .on("messages")
    .columns(["org_id", "sent_at", "lead_id"])
    .where(sql.ref("sent_at"), "is not", null)
    .execute();
  // Messages received (replies), and from whom.
  await db.schema
    .createIndex("messages_org_inbound_idx")
    .on("messages")
    .columns(["org_id", "created_at", "lead_id"])
    .where(sql.ref("direction"), "=", sql.lit("inbound"))
    .execute();
  // Events of one type over time (opt-outs); endpoint test samples are never counted.
  await db.schema
    .createIndex("events_org_type_created_idx")
    .on("events")
    .columns(["org_id", "type", "created_at"])
    .where(sql.ref("is_test"), "=", sql.lit(0))
    .execute();
  // Finished deliveries over time, by outcome.
  await db.schema
    .createIndex("webhook_deliveries_org_completed_idx")
    .on("webhook_deliveries")
    .columns(["org_id", "completed_at", "status"])
    .where(sql.ref("completed_at"), "is not", null)
    .execute();
}
