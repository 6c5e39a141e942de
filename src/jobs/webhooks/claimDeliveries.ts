import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import { relaxDurability } from "./relaxDurability.js";
import { type SendableDelivery, sendableDeliveries } from "./sendableDeliveries.js";

export type ClaimedDelivery = SendableDelivery;

/** What choosing among due deliveries needs: which endpoint, and that endpoint's limits. */
export type Candidate = Pick<SendableDelivery, "id" | "endpointId" | "maxConcurrency" | "rateLimitPerSecond">;

/**
 * Claims due deliveries of enabled endpoints for `workerId` until `leaseMs` from now. Rows whose
 * lease expired (a worker died mid-request) are due again: at-least-once. On PostgreSQL the
 * candidate rows are locked with SKIP LOCKED so concurrent workers never claim the same one; on
 * SQLite the transaction is the single writer. `pick` chooses which candidates to keep (per
 * endpoint limits); the others stay unclaimed for whoever has room.
 *
 * A claim also moves `next_attempt_at` to the end of the lease: the due index then holds only
 * deliveries that can be claimed, so a claim reads exactly the rows it takes instead of stepping
 * over every delivery in flight, and an expired lease is due again by the same test.
 */
export async function claimDeliveries(
  database: Database,
  options: {
    workerId: string;
    now: Date;
    leaseMs: number;
    limit: number;
    excludeEndpoints: string[];
    pick: <C extends Candidate>(candidates: C[]) => C[];
  },
): Promise<ClaimedDelivery[]> {
  const now = toIso(options.now);
  return database.db.transaction().execute(async (tx) => {
    await relaxDurability(tx, database);
    let query = sendableDeliveries(tx)
      .where("d.status", "=", "pending")
      .where("d.next_attempt_at", "<=", now)
      .where("e.enabled", "=", 1);
    if (options.excludeEndpoints.length > 0)
      query = query.where("d.endpoint_id", "not in", options.excludeEndpoints);
    query = query.orderBy("d.next_attempt_at").limit(options.limit);
    if (database.capabilities.skipLocked) query = query.forUpdate(["d"]).skipLocked();
    const picked = options.pick(await query.execute());
    if (picked.length === 0) return [];
    const leaseEnd = toIso(new Date(options.now.getTime() + options.leaseMs));
    await tx
      .updateTable("webhook_deliveries")
      .set({ locked_by: options.workerId, locked_until: leaseEnd, next_attempt_at: leaseEnd })
      .where(
        inJsonList(
          database,
          "id",
          picked.map((d) => d.id),
        ),
      )
      .execute();
    return picked;
  });
}
