import type { Kysely } from "kysely";

/**
 * What makes `unknown` precise and reconcilable: the moment a provider call may have started
 * (written and committed before the call), when the reconciler may next look a message up, and
 * whether it already re-queued the message once as surely never sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const column of ["provider_call_at", "next_reconcile_at", "auto_resent_at"]) {
    await db.schema.alterTable("messages").addColumn(column, "text").execute();
  }
}
