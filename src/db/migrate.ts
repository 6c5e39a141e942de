import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { Database } from "./database.js";
import * as m0001 from "./migrations/0001_foundation.js";

// Forward-only, numbered; add new ones at the end.
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Any constant works; it only has to be the same in every Leadwire process.
const MIGRATION_LOCK_KEY = 71_823_004;

async function runMigrator(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined || failed !== undefined) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`migration failed: ${reason}`);
  }
}

/**
 * Brings the schema up to date. Safe when several processes start at once: on PostgreSQL a
 * session advisory lock serialises them (CREATE ... IF NOT EXISTS alone races there).
 */
export async function migrate(database: Database): Promise<void> {
  if (database.capabilities.singleWriter) {
    await runMigrator(database.db as unknown as Kysely<unknown>);
    return;
  }
  await database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      if (database.schema !== undefined) {
        await sql`create schema if not exists ${sql.id(database.schema)}`.execute(conn);
      }
      await runMigrator(conn as unknown as Kysely<unknown>);
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
