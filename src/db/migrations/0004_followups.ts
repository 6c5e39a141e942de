import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // A restart at step 1 (a new outbound conversation) starts a new cycle.
  await db.schema
    .alterTable("leads")
    .addColumn("follow_up_cycle", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("messages").addColumn("follow_up_cycle", "integer").execute();
  // Never twice: one message per (lead, cycle, step), whatever crashes or workers do.
  await db.schema
    .createIndex("messages_follow_up_key")
    .unique()
    .on("messages")
    .columns(["lead_id", "follow_up_cycle", "follow_up_step"])
    .where(sql.ref("follow_up_cycle"), "is not", null)
    .execute();
  await db.schema
    .createIndex("leads_next_follow_up_idx")
    .on("leads")
    .columns(["next_follow_up_at"])
    .execute();
}
