import { type Kysely, sql } from "kysely";

/**
 * The due index holds only pending deliveries (a claim's range): finished ones leave it instead
 * of piling up under their final status, so it stays as small as the backlog.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("webhook_deliveries_due_idx").execute();
  await db.schema
    .createIndex("webhook_deliveries_due_idx")
    .on("webhook_deliveries")
    .column("next_attempt_at")
    .where(sql.ref("status"), "=", "pending")
    .execute();
}
