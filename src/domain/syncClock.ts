import { type RawBuilder, sql, type Transaction } from "kysely";
import { toIso } from "../clock.js";
import { type Backend, inJsonList } from "../db/bulk.js";
import type { DB } from "../db/schema.js";
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

/** The columns a changed lead gets from a stamp taken at once (`leadStamp` otherwise). */
export function leadChangeStamp(stamp: SyncStamp): { updated_at: string; updated_seq: number } {
  return { updated_at: stamp.at, updated_seq: stamp.seq };
}

/** What a lead's row takes from its transaction's stamp when the transaction ends. */
export type LeadStampKind = "updated" | "created" | "deleted";

interface LeadStamp {
  orgId: string;
  leadId: string;
  kind: LeadStampKind;
}

/** Leads whose rows this transaction changed, stamped together by `applyLeadStamps`. */
const pendingLeads = new WeakMap<Tx, LeadStamp[]>();

/** Transactions that end through `writeEvents` (transaction.ts), which applies their lead stamps. */
const deferring = new WeakSet<Tx>();

/** Called by the code that ends `tx` with `applyLeadStamps`: lead stamps in it may wait till then. */
export function deferLeadStamps(tx: Tx): void {
  deferring.add(tx);
}

/** `updated_at = updated_at`: the column as it is. */
const KEEP_UPDATED_AT = sql<string>`updated_at`;

type StampColumns = {
  updated_at: string | RawBuilder<string>;
  updated_seq?: number;
  created_at?: string;
  created_seq?: number;
  deleted_at?: string;
};

/**
 * The columns a lead's row gets for being changed (`updated`), created or soft-deleted in this
 * transaction. In a transaction run by `inTransaction` the real stamp waits: the row gets
 * provisional values no other transaction can see, and `updated_seq`/`updated_at` (and
 * `created_*` or `deleted_at`) are set from the org's stamp when the transaction ends, in the
 * statements that also stamp its events (transaction.ts). Elsewhere the clock is taken now.
 *
 * Deferring is what keeps the clock short: it is taken in the last statements before the commit,
 * when every row lock the transaction needs is already held, so the org's changes serialise only
 * over those statements and the commit, and a grouped transaction of many changes (groupCommit.ts)
 * never waits on another's row while it holds the clock.
 */
export async function leadStamp(
  tx: Tx,
  orgId: string,
  leadIds: string | readonly string[],
  now: Date,
  kind: LeadStampKind = "updated",
): Promise<StampColumns> {
  if (!deferring.has(tx)) {
    const stamp = await syncStamp(tx, orgId, now);
    const columns: StampColumns = leadChangeStamp(stamp);
    if (kind === "created") Object.assign(columns, { created_at: stamp.at, created_seq: stamp.seq });
    if (kind === "deleted") columns.deleted_at = stamp.at;
    return columns;
  }
  let pending = pendingLeads.get(tx);
  if (pending === undefined) {
    pending = [];
    pendingLeads.set(tx, pending);
  }
  for (const leadId of typeof leadIds === "string" ? [leadIds] : leadIds)
    pending.push({ orgId, leadId, kind });
  const at = toIso(now);
  if (kind === "created") return { updated_at: at, updated_seq: 0, created_at: at, created_seq: 0 };
  if (kind === "deleted") return { updated_at: at, deleted_at: at };
  // The row keeps its own value until the stamp: an update that changes no indexed column (most
  // do not) stays a heap-only update on PostgreSQL, and only the stamp rewrites the indexes.
  return { updated_at: KEEP_UPDATED_AT };
}

/** How many lead stamps are pending: a savepoint's mark, to drop a failed work's own. */
export function pendingLeadStampMark(tx: Tx): number {
  return pendingLeads.get(tx)?.length ?? 0;
}

/** Drops the lead stamps a work rolled back to its savepoint asked for. */
export function dropLeadStampsSince(tx: Tx, mark: number): void {
  pendingLeads.get(tx)?.splice(mark);
}

/** The orgs with leads waiting for their stamp in this transaction. */
export function orgsWithPendingLeads(tx: Tx): string[] {
  return [...new Set((pendingLeads.get(tx) ?? []).map((p) => p.orgId))];
}

/**
 * Writes the org's stamp into the rows of the leads this transaction marked: one statement for
 * the changed ones, one for the created (all four columns) and one for the deleted, each when
 * there are any.
 */
export async function applyLeadStamps(
  tx: Transaction<DB>,
  database: Backend,
  orgId: string,
  stamp: SyncStamp,
): Promise<void> {
  const { all, created, deleted } = pendingLeadsOf(tx, orgId);
  if (all.length === 0) return;
  const update = (leadIds: string[]) =>
    tx
      .updateTable("leads")
      .where("org_id", "=", orgId)
      .where(inJsonList(database, "id", leadIds));
  // A new lead's row is visited once for all four columns: each visit rewrites its index entries.
  const fresh = new Set(created);
  const changed = all.filter((leadId) => !fresh.has(leadId));
  const updated = { updated_at: stamp.at, updated_seq: stamp.seq };
  if (changed.length > 0) await update(changed).set(updated).execute();
  if (created.length > 0)
    await update(created)
      .set({ ...updated, created_at: stamp.at, created_seq: stamp.seq })
      .execute();
  if (deleted.length > 0) await update(deleted).set({ deleted_at: stamp.at }).execute();
}

/** Forgets the leads this transaction marked, once they are stamped. */
export function clearLeadStamps(tx: Tx): void {
  pendingLeads.delete(tx);
}

/** The leads marked in this transaction for `orgId`, by what their rows take from the stamp. */
export function pendingLeadsOf(
  tx: Tx,
  orgId: string,
): { all: string[]; created: string[]; deleted: string[] } {
  const pending = (pendingLeads.get(tx) ?? []).filter((p) => p.orgId === orgId);
  const ids = (kind?: LeadStampKind) => [
    ...new Set(pending.filter((p) => kind === undefined || p.kind === kind).map((p) => p.leadId)),
  ];
  return { all: ids(), created: ids("created"), deleted: ids("deleted") };
}

/** Whether this transaction already holds the org's clock (took a stamp at once). */
export function holdsStamp(tx: Tx, orgId: string): boolean {
  return taken.get(tx)?.has(orgId) === true;
}
