import { type InsertQueryBuilder, sql } from "kysely";
import type { Capabilities } from "../db/database.js";
import type { DB } from "../db/schema.js";
import type { Tx } from "./context.js";

/**
 * Runs an insert and tells the listeners on `channel` (PostgreSQL, delivered on commit) in the
 * same statement: every statement is a round trip, and an inbound text made two of these. The
 * notify goes whether or not a row went in, as the separate `select pg_notify` after it did.
 * Without LISTEN/NOTIFY (SQLite) it is the insert alone; wake-ups are then the caller's.
 */
export async function insertAndNotify<T extends keyof DB>(
  tx: Tx,
  capabilities: Capabilities,
  channel: string,
  insert: InsertQueryBuilder<DB, T, object>,
): Promise<void> {
  if (!capabilities.listenNotify) {
    await insert.execute();
    return;
  }
  await tx
    .with("inserted", () => insert)
    .selectNoFrom(sql<string>`pg_notify(${channel}, '')`.as("notified"))
    .execute();
}
