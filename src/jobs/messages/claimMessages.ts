import type { Selectable } from "kysely";
import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import type { MessagesTable } from "../../db/schema.js";

export type ClaimedRow = Selectable<MessagesTable>;

/**
 * Claims due queued messages: they become `sending`, with the claim committed (durably) BEFORE any
 * provider is called. Whatever happens next, a message leaves `sending` only through a recorded
 * answer or settleStaleClaims: a claim whose provider call may have started becomes `unknown`,
 * never a second send. Returns the rows as claimed (status `sending`, this worker, attempts counted).
 */
export async function claimMessages(
  database: Database,
  options: { workerId: string; now: Date; limit: number },
): Promise<ClaimedRow[]> {
  const now = toIso(options.now);
  return database.db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom("messages")
      .selectAll()
      .where("status", "=", "queued")
      .where("due_at", "<=", now)
      // Still waiting for the assistant to write it (see queueDraftMessage).
      .where("draft", "is", null)
      .orderBy("due_at")
      .limit(options.limit);
    if (database.capabilities.skipLocked) query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    if (rows.length === 0) return [];
    // The rows are ours for this transaction (locked on PostgreSQL, the single writer on SQLite),
    // so the ids alone select them: a status test here would make SQLite walk the due index.
    await tx
      .updateTable("messages")
      .set((eb) => ({
        status: "sending",
        claimed_by: options.workerId,
        claimed_at: now,
        attempts: eb("attempts", "+", 1),
        updated_at: now,
      }))
      .where(
        inJsonList(
          database,
          "id",
          rows.map((r) => r.id),
        ),
      )
      .execute();
    return rows.map((r) => ({
      ...r,
      status: "sending" as const,
      claimed_by: options.workerId,
      claimed_at: now,
      attempts: r.attempts + 1,
      updated_at: now,
    }));
  });
}

/**
 * Claims whose holder never recorded an answer (it stopped, or died). Older than the lease and
 * unmarked, the provider was surely never called (see providerCallMarks.ts): queued again, due
 * now, and the attempt the claim counted is given back. Marked longer ago than the lease, the call
 * may have reached the provider and is over by now (the lease outlasts a provider call): `unknown`,
 * for the reconciler or an operator, never resent blindly.
 */
export async function settleStaleClaims(
  database: Database,
  now: Date,
  leaseMs: number,
): Promise<{ requeued: number; unknown: number }> {
  const cutoff = toIso(new Date(now.getTime() - leaseMs));
  const at = toIso(now);
  const requeued = await database.db
    .updateTable("messages")
    .set((eb) => ({
      status: "queued",
      claimed_by: null,
      claimed_at: null,
      attempts: eb("attempts", "-", 1),
      updated_at: at,
    }))
    .where("status", "=", "sending")
    .where("claimed_at", "<", cutoff)
    .where("provider_call_at", "is", null)
    .executeTakeFirst();
  const unknown = await database.db
    .updateTable("messages")
    .set({
      status: "unknown",
      error_message: "the sending worker stopped before the provider's answer was recorded",
      updated_at: at,
    })
    .where("status", "=", "sending")
    .where("provider_call_at", "<", cutoff)
    .executeTakeFirst();
  return { requeued: Number(requeued.numUpdatedRows), unknown: Number(unknown.numUpdatedRows) };
}
