import type { Kysely } from "kysely";

/**
 * Browser sessions (the web app): one row per sign-in with an API key. The cookie carries a
 * random token; only its SHA-256 is stored, so the table alone lets nobody in. A session ends at
 * `expires_at`, on sign-out (`revoked_at`), or when its API key is revoked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("last_seen_at", "text")
    .execute();
}
