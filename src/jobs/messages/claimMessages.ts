import { toIso } from "../../clock.js";
import type { Database } from "../../db/database.js";

/**
 * Claims due queued messages: they become `sending`, with the claim committed (durably) BEFORE any
 * provider is called. Whatever happens next, a message leaves `sending` only through a recorded
 * answer; a claim that never gets one becomes `unknown`, never a second send.
 */
export async function claimMessages(
  database: Database,
  options: { workerId: string; now: Date; limit: number },
): Promise<string[]> {
  const now = toIso(options.now);
  return database.db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom("messages")
      .select("id")
      .where("status", "=", "queued")
      .where("due_at", "<=", now)
      .orderBy("due_at")
      .limit(options.limit);
    if (database.capabilities.skipLocked) query = query.forUpdate().skipLocked();
    const ids = (await query.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    await tx
      .updateTable("messages")
      .set((eb) => ({
        status: "sending",
        claimed_by: options.workerId,
        claimed_at: now,
        attempts: eb("attempts", "+", 1),
        updated_at: now,
      }))
      .where("id", "in", ids)
      .where("status", "=", "queued")
      .execute();
    return ids;
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
