import type { Kysely } from "kysely";

/**
 * Commit-ordered positions for the sync listings (`GET /v1/events`, `GET /v1/leads`): each org
 * has one clock row, taken by a transaction just before it commits (see domain/syncClock.ts).
 * Rows written before this migration keep position 0 and order among themselves as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sync_clocks")
    .addColumn("org_id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable("events")
    .addColumn("seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("leads")
    .addColumn("created_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("leads")
    .addColumn("updated_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  // The listings order by (time, position, id); the old (time, id) indexes are replaced, not doubled.
  await db.schema.dropIndex("events_org_created_idx").execute();
  await db.schema
    .createIndex("events_org_created_idx")
    .on("events")
    .columns(["org_id", "created_at", "seq", "id"])
    .execute();
  await db.schema.dropIndex("leads_org_updated_idx").execute();
  await db.schema
    .createIndex("leads_org_updated_idx")
    .on("leads")
    .columns(["org_id", "updated_at", "updated_seq", "id"])
    .execute();
  await db.schema.dropIndex("leads_org_created_idx").execute();
  await db.schema
    .createIndex("leads_org_created_idx")
    .on("leads")
    .columns(["org_id", "created_at", "created_seq", "id"])
    .execute();
}
