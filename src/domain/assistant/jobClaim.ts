import type { Capabilities } from "../../db/database.js";
import type { Tx } from "../context.js";

/** A claimed assistant job, as the worker hands it to the domain. */
export interface ClaimedJob {
  id: string;
  orgId: string;
  leadId: string;
  kind: "read" | "draft";
  subjectId: string;
  lockedBy: string;
  attempts: number;
}

/**
 * Whether the job is still this worker's to finish, locking its row until the transaction ends:
 * a worker whose lease ran out (and whose job another worker took) must not apply its effects
 * too. Effects and `done` commit together, so they happen at most once.
 */
export async function holdJob(tx: Tx, capabilities: Capabilities, job: ClaimedJob): Promise<boolean> {
  const row = await tx
    .selectFrom("assistant_jobs")
    .select("id")
    .where("id", "=", job.id)
    .where("status", "=", "pending")
    .where("locked_by", "=", job.lockedBy)
    .$if(capabilities.rowLocks, (query) => query.forUpdate())
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends the job (in the transaction that applied its effects, when it had any). */
export async function finishJob(
  tx: Tx,
  job: ClaimedJob,
  now: string,
  status: "done" | "failed" = "done",
  error: string | null = null,
): Promise<void> {
  await tx
    .updateTable("assistant_jobs")
    .set({ status, due_at: null, locked_by: null, locked_until: null, last_error: error, updated_at: now })
    .where("id", "=", job.id)
    .where("locked_by", "=", job.lockedBy)
    .execute();
}
