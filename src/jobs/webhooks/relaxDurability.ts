import { sql } from "kysely";
import type { Database } from "../../db/database.js";
import type { Tx } from "../../domain/context.js";

/**
 * Attempt records may skip the wait for the WAL flush (PostgreSQL `synchronous_commit = off`,
 * this transaction only). Losing the last few milliseconds of them in a server crash only means a
 * delivery is sent again, which at-least-once allows; the events and
 * deliveries themselves are always written with full durability by the change that caused them.
 */
export async function relaxDurability(tx: Tx, database: Database): Promise<void> {
  if (!database.capabilities.singleWriter) await sql`set local synchronous_commit = off`.execute(tx);
}
