import type { Selectable } from "kysely";
import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import type { MessagesTable } from "../../db/schema.js";

export type ClaimedRow = Selectable<MessagesTable>;

/**
 * Claims due queued messages: they become `sending`, with the claim committed (durably) BEFORE any
 * provider is called. Whatever happens next, a message leaves `sending` only through a recorded
 * answer; a claim that never gets one becomes `unknown`, never a second send. Returns the rows as
 * claimed (status `sending`, this worker, attempts counted).
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

/** Claims older than the lease whose worker never recorded an answer: `unknown`, for reconciliation. */
export async function markStaleClaimsUnknown(
  database: Database,
  now: Date,
  leaseMs: number,
): Promise<number> {
  const cutoff = toIso(new Date(now.getTime() - leaseMs));
  const result = await database.db
    .updateTable("messages")
    .set({
      status: "unknown",
      error_message: "the sending worker stopped before the provider's answer was recorded",
      updated_at: toIso(now),
    })
    .where("status", "=", "sending")
    .where("claimed_at", "<", cutoff)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
