import { sql } from "kysely";
import type { Capabilities } from "../../db/database.js";
import type { Tx } from "../context.js";

/** The LISTEN/NOTIFY channel dispatchers listen on (PostgreSQL). */
export const DELIVERIES_CHANNEL = "leadwire_deliveries";

/**
 * Tells every dispatcher process that deliveries are due. Sent inside the transaction, so
 * PostgreSQL delivers it exactly when the rows become visible (on commit), never before.
 */
export async function notifyDeliveriesDue(tx: Tx, capabilities: Capabilities): Promise<void> {
  if (capabilities.listenNotify) await sql`select pg_notify(${DELIVERIES_CHANNEL}, '')`.execute(tx);
}

/** The channel message senders listen on (PostgreSQL). */
export const MESSAGES_CHANNEL = "leadwire_messages";

/** Tells every message sender that messages are queued (delivered on commit, PostgreSQL). */
export async function notifyMessagesDue(tx: Tx, capabilities: Capabilities): Promise<void> {
  if (capabilities.listenNotify) await sql`select pg_notify(${MESSAGES_CHANNEL}, '')`.execute(tx);
}
