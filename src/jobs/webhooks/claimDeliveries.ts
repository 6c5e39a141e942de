import { toIso } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { relaxDurability } from "./relaxDurability.js";
import { type SendableDelivery, sendableDeliveries } from "./sendableDeliveries.js";

export type ClaimedDelivery = SendableDelivery;

/** What choosing among due deliveries needs: which endpoint, and that endpoint's limits. */
export interface Candidate {
  id: string;
  endpointId: string;
  maxConcurrency: number;
  rateLimitPerSecond: number | null;
}

/**
 * Claims due deliveries of enabled endpoints for `workerId` until `leaseMs` from now. Rows whose
 * lease expired (a worker died mid-request) are due again: at-least-once. On PostgreSQL the
 * candidate rows are locked with SKIP LOCKED so concurrent workers never claim the same one; on
 * SQLite the transaction is the single writer. `pick` chooses which candidates to keep (per
 * endpoint limits); the others stay unclaimed for whoever has room. Bodies are read only for
 * the picked rows.
 */
export async function claimDeliveries(
  database: Database,
  options: {
    workerId: string;
    now: Date;
    leaseMs: number;
    limit: number;
    excludeEndpoints: string[];
    pick: (candidates: Candidate[]) => Candidate[];
  },
): Promise<ClaimedDelivery[]> {
  const now = toIso(options.now);
  return database.db.transaction().execute(async (tx) => {
    await relaxDurability(tx, database);
    let query = tx
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
      .select([
        "d.id as id",
        "d.endpoint_id as endpointId",
        "e.max_concurrency as maxConcurrency",
        "e.rate_limit_per_second as rateLimitPerSecond",
      ])
      .where("d.status", "=", "pending")
      .where("d.next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("d.locked_until", "is", null), eb("d.locked_until", "<", now)]))
      .where("e.enabled", "=", 1);
    if (options.excludeEndpoints.length > 0)
      query = query.where("d.endpoint_id", "not in", options.excludeEndpoints);
    query = query.orderBy("d.next_attempt_at").limit(options.limit);
    if (database.capabilities.skipLocked) query = query.forUpdate(["d"]).skipLocked();
    const picked = options.pick(await query.execute()).map((c) => c.id);
    if (picked.length === 0) return [];
    await tx
      .updateTable("webhook_deliveries")
      .set({
        locked_by: options.workerId,
        locked_until: toIso(new Date(options.now.getTime() + options.leaseMs)),
      })
      .where("id", "in", picked)
      .execute();
    return sendableDeliveries(tx).where("d.id", "in", picked).execute();
  });
}
