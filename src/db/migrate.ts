import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { Database } from "./database.js";
import * as m0001 from "./migrations/0001_foundation.js";
import * as m0002 from "./migrations/0002_webhooks.js";
import * as m0003 from "./migrations/0003_messages.js";
import * as m0004 from "./migrations/0004_followups.js";
import * as m0005 from "./migrations/0005_pending_due_index.js";
import * as m0006 from "./migrations/0006_sync_clocks.js";
import * as m0007 from "./migrations/0007_sms_senders.js";
import * as m0008 from "./migrations/0008_provider_call_marks.js";
import * as m0009 from "./migrations/0009_assistant.js";
import * as m0010 from "./migrations/0010_sessions.js";
import * as m0011 from "./migrations/0011_stats_indexes.js";
import * as m0012 from "./migrations/0012_lead_search_indexes.js";
import * as m0013 from "./migrations/0013_attempt_request_headers.js";
import * as m0014 from "./migrations/0014_endpoint_delivery_stats_index.js";
import * as m0015 from "./migrations/0015_lead_imports.js";
import * as m0016 from "./migrations/0016_end_transaction_function.js";
import * as m0017 from "./migrations/0017_change_lead_function.js";
import * as m0018 from "./migrations/0018_handoff_batched_changes.js";

// Forward-only, numbered; add new ones at the end.
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_webhooks": m0002,
  "0003_messages": m0003,
  "0004_followups": m0004,
  "0005_pending_due_index": m0005,
  "0006_sync_clocks": m0006,
  "0007_sms_senders": m0007,
  "0008_provider_call_marks": m0008,
  "0009_assistant": m0009,
  "0010_sessions": m0010,
  "0011_stats_indexes": m0011,
  "0012_lead_search_indexes": m0012,
  "0013_attempt_request_headers": m0013,
  "0014_endpoint_delivery_stats_index": m0014,
  "0015_lead_imports": m0015,
  "0016_end_transaction_function": m0016,
  "0017_change_lead_function": m0017,
  "0018_handoff_batched_changes": m0018,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Any constant works; it only has to be the same in every Leadwire process.
const MIGRATION_LOCK_KEY = 71_823_004;

async function runMigrator(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined || failed !== undefined) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`migration failed: ${reason}`);
  }
}

/**
 * Brings the schema up to date. Safe when several processes start at once: on PostgreSQL a
 * session advisory lock serialises them (CREATE ... IF NOT EXISTS alone races there); on
 * SQLite, whose Kysely adapter takes no lock, one IMMEDIATE transaction holds the write lock.
 */
export async function migrate(database: Database): Promise<void> {
  if (database.capabilities.singleWriter) {
    await database.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        await runMigrator(conn as unknown as Kysely<unknown>);
        await sql`commit`.execute(conn);
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
    return;
  }
  await database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      if (database.schema !== undefined) {
        await sql`create schema if not exists ${sql.id(database.schema)}`.execute(conn);
      }
      // Kysely looks for its bookkeeping tables by name in every schema unless told which one.
      const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn);
      await runMigrator(conn as unknown as Kysely<unknown>, current.rows[0]?.schema);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** True when every known migration has been applied (readiness). */
export async function isMigrated(database: Database): Promise<boolean> {
  const list = await new Migrator({
    db: database.db as unknown as Kysely<unknown>,
    provider,
  }).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
