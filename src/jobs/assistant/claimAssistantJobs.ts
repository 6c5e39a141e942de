import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import type { ClaimedJob } from "../../domain/assistant/jobClaim.js";

/**
 * Claims due assistant jobs for this worker: `locked_by` set and `due_at` moved to the end of the
 * lease, which takes them out of the due range; a worker that dies leaves them due again when its
 * lease ends, and another claims them (at least once). Their effects commit with `done`, under a
 * check that the job is still the claimer's (domain/assistant/jobClaim.ts), so they apply once.
 */
export async function claimAssistantJobs(
  database: Database,
  options: { workerId: string; now: Date; limit: number; leaseMs: number },
): Promise<ClaimedJob[]> {
  const now = toIso(options.now);
  const until = toIso(new Date(options.now.getTime() + options.leaseMs));
  return database.db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom("assistant_jobs")
      .select(["id", "org_id", "lead_id", "kind", "subject_id", "attempts"])
      .where("status", "=", "pending")
      .where("due_at", "<=", now)
      .orderBy("due_at")
      .limit(options.limit);
    if (database.capabilities.skipLocked) query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    if (rows.length === 0) return [];
    await tx
      .updateTable("assistant_jobs")
      .set((eb) => ({
        locked_by: options.workerId,
        locked_until: until,
        due_at: until,
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
      id: r.id,
      orgId: r.org_id,
      leadId: r.lead_id,
      kind: r.kind,
      subjectId: r.subject_id,
      lockedBy: options.workerId,
      attempts: r.attempts + 1,
    }));
  });
}

/** A job whose attempt failed: due again after a backoff (30 s, doubling, at most 30 min). */
export async function retryJobLater(
  database: Database,
  job: ClaimedJob,
  now: Date,
  error: string,
): Promise<void> {
  const backoffMs = Math.min(30_000 * 2 ** (job.attempts - 1), 30 * 60_000);
  await database.db
    .updateTable("assistant_jobs")
    .set({
      due_at: toIso(new Date(now.getTime() + backoffMs)),
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 1000),
      updated_at: toIso(now),
    })
    .where("id", "=", job.id)
    .where("locked_by", "=", job.lockedBy)
    .execute();
}
