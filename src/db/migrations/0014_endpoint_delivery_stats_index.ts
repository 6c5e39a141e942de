import { type Kysely, sql } from "kysely";

/**
 * One endpoint's finished deliveries over time, by outcome: the hourly series scoped to an
 * endpoint (`GET /v1/stats/deliveries-hourly?endpointId=`, the portal's success rate per
 * endpoint). Like `webhook_deliveries_org_completed_idx` of 0011, which it mirrors with the
 * endpoint after the org, it is partial (finished deliveries only) and covering, so the count is
 * an index-only range scan of the endpoint's window whatever else the org sends. Without it the
 * query walks the org's whole window through 0011's index and reads each row for its endpoint:
 * on one endpoint holding 1,000,000 deliveries over 90 days (bench/stats.mjs, a week is about
 * 78,000 of them), the week took 431 ms on SQLite and 360 ms on PostgreSQL (medians) instead of
 * 31–53 ms and 48–132 ms with it (a loaded machine; BENCHMARKS.md). It costs every finished
 * delivery one more index entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("webhook_deliveries_endpoint_completed_idx")
    .on("webhook_deliveries")
    .columns(["org_id", "endpoint_id", "completed_at", "status"])
    .where(sql.ref("completed_at"), "is not", null)
    .execute();
}
