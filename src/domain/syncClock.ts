import { sql } from "kysely";
import { toIso } from "../clock.js";
import type { Tx } from "./context.js";

/**
 * Where a change sits in its org's commit order: `seq` grows by one per transaction, and `at`
 * (what the API shows as `createdAt`/`updatedAt`) never goes back, even when clocks of several
 * processes disagree.
 */
export interface SyncStamp {
  seq: number;
  at: string;
}

/** A transaction stamps each org once; every row it writes for that org shares the stamp. */
const taken = new WeakMap<Tx, Map<string, SyncStamp>>();

/**
 * Takes the org's sync clock for this transaction. The clock row stays locked until the
 * transaction ends (PostgreSQL row lock; SQLite's single writer), so the next transaction of the
 * org gets a larger `seq` and an `at` no earlier than ours only after we commit: positions are
 * handed out in commit order. A client tailing `since=<newest time seen>` or a keyset token
 * therefore never misses a row that commits after its read.
 *
 * Take it as late as possible (the lock serialises the org's commits from here on) and, once it
 * is held, only write rows the transaction already holds or inserts: waiting on another row lock
 * while holding the clock could deadlock with a transaction that holds that row and wants the
 * clock. A transaction that stamps several orgs must take them in ascending org id order.
 */
export async function syncStamp(tx: Tx, orgId: string, now: Date): Promise<SyncStamp> {
  if (!tx.isTransaction) {
    throw new Error("syncStamp needs a transaction: the order holds only while the clock row is locked");
  }
  let stamps = taken.get(tx);
  const cached = stamps?.get(orgId);
  if (cached !== undefined) return cached;
  const at = toIso(now);
  const row = await tx
    .insertInto("sync_clocks")
    .values({ org_id: orgId, seq: 1, at })
    .onConflict((oc) =>
      oc.column("org_id").doUpdateSet({
        seq: sql<number>`sync_clocks.seq + 1`,
        at: sql<string>`case when sync_clocks.at > ${at} then sync_clocks.at else ${at} end`,
      }),
    )
    .returning(["seq", "at"])
    .executeTakeFirstOrThrow();
  const stamp = { seq: Number(row.seq), at: row.at };
  if (stamps === undefined) {
    stamps = new Map();
    taken.set(tx, stamps);
  }
  stamps.set(orgId, stamp);
  return stamp;
}

/**
 * Forgets the stamps this transaction took: after a rollback to a savepoint the clock row may be
 * back where it was, and a stamp handed out again must come from the row, not from memory.
 */
export function forgetStamps(tx: Tx): void {
  taken.delete(tx);
}

/** The columns a changed lead gets from its transaction's stamp. */
export function leadChangeStamp(stamp: SyncStamp): { updated_at: string; updated_seq: number } {
  return { updated_at: stamp.at, updated_seq: stamp.seq };
}
