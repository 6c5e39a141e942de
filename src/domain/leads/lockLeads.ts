import { type Backend, inJsonList } from "../../db/bulk.js";
import type { Tx } from "../context.js";

/**
 * Locks leads (PostgreSQL) in id order, before a statement that changes several of them. Work that
 * holds several leads at once (a batch of inbound texts, of the assistant's readings, of recorded
 * sends) takes them in this one order, so two such transactions never wait for each other in a
 * circle; an update of many rows would take them in whatever order its plan reads them, and so
 * would the foreign key checks of an insert of rows that name them (timeline entries, messages).
 */
export async function lockLeadsInOrder(tx: Tx, backend: Backend, leadIds: readonly string[]): Promise<void> {
  if (!backend.capabilities.rowLocks || leadIds.length < 2) return;
  await tx
    .selectFrom("leads")
    .select("id")
    .where(inJsonList(backend, "id", leadIds))
    .orderBy("id")
    .forUpdate()
    .execute();
}
