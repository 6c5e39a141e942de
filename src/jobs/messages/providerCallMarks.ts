import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";

/** A claimed message about to be handed to a provider. */
export interface ProviderCall {
  id: string;
  /** The provider's name, kept on the row so a reconciler asks the one that was called. */
  provider: string;
}

/**
 * Marks claimed messages whose provider call is about to start (`provider_call_at`), one
 * statement per provider for a whole batch; returns, per call, whether it may start. The sender
 * starts a call only after its mark has committed, so `provider_call_at` is the line between
 * "may have reached the provider" and "surely did not".
 *
 * Why a stale claim without the mark may be queued again (settleStaleClaims) and never sends a
 * message twice:
 * - A mark is written only while the row is still `sending`, held by this worker and unmarked,
 *   and the provider is called only for ids the statement returned. Each claim thus gets at most
 *   one call, even if a lapsed claim's old holder and its new one both try.
 * - The mark and the re-queue are both single UPDATEs of the same row, conditional on its
 *   current values, so they cannot interleave. PostgreSQL: the second waits for the first's row
 *   lock and, under READ COMMITTED, re-evaluates its WHERE on the version the first committed.
 *   SQLite: every write holds the one database write lock. Either the mark commits first (the
 *   re-queue then finds `provider_call_at` set and leaves the row for `unknown`), or the re-queue
 *   does (the mark then finds the row `queued` and unclaimed, returns nothing, and no call starts).
 * - A worker killed at any point: if its mark committed, the call may have started and the row
 *   ends `unknown`; if not, no call started, since none starts before its mark commits.
 * - Durability is the claim's: a plain commit, never the relaxed `synchronous_commit = off` of
 *   webhook bookkeeping, so on PostgreSQL the mark is on disk before the call starts. On SQLite
 *   (WAL, synchronous=NORMAL) a commit is in the log before COMMIT returns, which survives the
 *   process being killed; only an OS crash or power loss can drop the last commits, as it can the
 *   claim itself.
 */
export async function markProviderCalls(
  database: Database,
  workerId: string,
  calls: readonly ProviderCall[],
  now: Date,
): Promise<boolean[]> {
  const at = toIso(now);
  const marked = new Set<string>();
  for (const provider of new Set(calls.map((c) => c.provider))) {
    const rows = await database.db
      .updateTable("messages")
      .set({ provider_call_at: at, provider, updated_at: at })
      .where(
        inJsonList(
          database,
          "id",
          calls.filter((c) => c.provider === provider).map((c) => c.id),
        ),
      )
      .where("status", "=", "sending")
      .where("claimed_by", "=", workerId)
      .where("provider_call_at", "is", null)
      .returning("id")
      .execute();
    for (const row of rows) marked.add(row.id);
  }
  return calls.map((c) => marked.has(c.id));
}
