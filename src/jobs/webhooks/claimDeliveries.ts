import { toIso } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { type SendableDelivery, sendableDeliveries } from "./sendableDeliveries.js";

export type ClaimedDelivery = SendableDelivery;

/**
 * Claims due deliveries of enabled endpoints for `workerId` until `leaseMs` from now. Rows whose
 * lease expired (a worker died mid-request) are due again: at-least-once. On PostgreSQL the
 * candidate rows are locked with SKIP LOCKED so concurrent workers never claim the same one; on
 * SQLite the transaction is the single writer. `pick` chooses which candidates to keep (per
 * endpoint limits); the others stay unclaimed for whoever has room.
 */
export async function claimDeliveries(
  database: Database,
  options: {
    workerId: string;
    now: Date;
    leaseMs: number;
    limit: number;
    excludeEndpoints: string[];
    pick: (candidates: ClaimedDelivery[]) => ClaimedDelivery[];
  },
): Promise<ClaimedDelivery[]> {
  const now = toIso(options.now);
  return database.db.transaction().execute(async (tx) => {
    let query = sendableDeliveries(tx)
      .where("d.status", "=", "pending")
      .where("d.next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("d.locked_until", "is", null), eb("d.locked_until", "<", now)]))
      .where("e.enabled", "=", 1);
    if (options.excludeEndpoints.length > 0)
      query = query.where("d.endpoint_id", "not in", options.excludeEndpoints);
    query = query.orderBy("d.next_attempt_at").limit(options.limit);
    if (database.capabilities.skipLocked) query = query.forUpdate(["d"]).skipLocked();
    const candidates = await query.execute();
    const picked = options.pick(candidates);
    if (picked.length === 0) return [];
    await tx
      .updateTable("webhook_deliveries")
      .set({
        locked_by: options.workerId,
        locked_until: toIso(new Date(options.now.getTime() + options.leaseMs)),
      })
      .where(
        "id",
        "in",
        picked.map((d) => d.id),
      )
      .execute();
    return picked;
  });
}
