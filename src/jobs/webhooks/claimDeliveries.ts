import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import { type SendableDelivery, sendableDeliveries } from "./sendableDeliveries.js";

export type ClaimedDelivery = SendableDelivery;

/** What choosing among due deliveries needs: which endpoint, and that endpoint's limits. */
export type Candidate = Pick<SendableDelivery, "id" | "endpointId" | "maxConcurrency" | "rateLimitPerSecond">;

/**
 * Claims due deliveries of enabled endpoints for `workerId` until `leaseMs` from now. Rows whose
 * lease expired (a worker died mid-request) are due again: at-least-once. `pick` chooses which
 * candidates to keep (per endpoint limits); the others stay unclaimed for whoever has room.
 *
 * Two statements and no transaction: the due candidates are read without a lock, then the picked
 * ones are claimed by an update that takes each only if it is still pending and due, which a row
 * another worker claimed meanwhile no longer is (its claim moved `next_attempt_at`). So two
 * workers never hold one delivery, and a claim costs two round trips instead of five (BEGIN, SET,
 * a locking read, the update, COMMIT). Only the rows the update returns are claimed.
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
  let query = sendableDeliveries(database.db)
    .where("d.status", "=", "pending")
    .where("d.next_attempt_at", "<=", now)
    .where("e.enabled", "=", 1);
  if (options.excludeEndpoints.length > 0)
    query = query.where("d.endpoint_id", "not in", options.excludeEndpoints);
  const picked = options.pick(await query.orderBy("d.next_attempt_at").limit(options.limit).execute());
  if (picked.length === 0) return [];
  const leaseEnd = toIso(new Date(options.now.getTime() + options.leaseMs));
  const taken = await database.db
    .updateTable("webhook_deliveries")
    .set({ locked_by: options.workerId, locked_until: leaseEnd, next_attempt_at: leaseEnd })
    .where(
      inJsonList(
        database,
        "id",
        picked.map((d) => d.id),
      ),
    )
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .returning(["id", "attempts"])
    .execute();
  // The attempts as claimed: a retry made between the read and the claim counts.
  const attempts = new Map(taken.map((row) => [row.id, row.attempts]));
  return picked.flatMap((d) => {
    const count = attempts.get(d.id);
    return count === undefined ? [] : [{ ...d, attempts: count }];
  });
}
