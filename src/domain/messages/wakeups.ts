import { sql } from "kysely";
import type { Capabilities } from "../../db/database.js";
import type { Tx } from "../context.js";

/** The LISTEN/NOTIFY channel message senders listen on (PostgreSQL). */
export const MESSAGES_CHANNEL = "leadwire_messages";

/** Tells every message sender that messages are queued (delivered on commit, PostgreSQL). */
export async function notifyMessagesDue(tx: Tx, capabilities: Capabilities): Promise<void> {
  if (capabilities.listenNotify) await sql`select pg_notify(${MESSAGES_CHANNEL}, '')`.execute(tx);
}
