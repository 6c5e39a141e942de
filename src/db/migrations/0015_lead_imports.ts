import type { Kysely } from "kysely";

/**
 * CSV imports sent to `POST /v1/leads/import`: the job (its file, options, progress and lease)
 * and the rows it skipped with the reason. Progress is written in the transaction that creates
 * a batch's leads, so a job taken over after a crash goes on from the last committed batch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("lead_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("profile", "text", (c) => c.notNull())
    .addColumn("dry_run", "integer", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("columns", "text", (c) => c.notNull())
    .addColumn("csv", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("records_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rows_seen", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("imported", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rejected", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("duplicates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("blank", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  // Runners look for unfinished jobs (queued, or running under an expired lease).
  await db.schema
    .createIndex("lead_imports_status")
    .on("lead_imports")
    .columns(["status", "created_at"])
    .execute();
  await db.schema
    .createTable("lead_import_rows")
    .addColumn("import_id", "text", (c) => c.notNull().references("lead_imports.id"))
    .addColumn("row", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("cells", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lead_import_rows_pkey", ["import_id", "row"])
    .execute();
}
