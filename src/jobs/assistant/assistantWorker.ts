import pLimit, { type LimitFunction } from "p-limit";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { ASSISTANT_CHANNEL } from "../../domain/assistant/assistantJobs.js";
import { abandonJob, draftMessage } from "../../domain/assistant/draftMessage.js";
import type { ClaimedJob } from "../../domain/assistant/jobClaim.js";
import { type ReadDeps, readInbound } from "../../domain/assistant/readInbound.js";
import { BatchLoop } from "../batchLoop.js";
import type { WakeSignal } from "../wakeSignal.js";
import { claimAssistantJobs, retryJobLater } from "./claimAssistantJobs.js";

export interface AssistantWorkerOptions extends ReadDeps {
  database: Database;
  logger: Logger;
  workerId: string;
  batchSize: number;
  pollIntervalMs: number;
  /** Jobs in progress at once (each may wait on a model). */
  concurrency: number;
  leaseMs: number;
  /** What `wake()` notifies: app.ts hands one in so the DomainContext can wake a worker built after it. */
  signal?: WakeSignal;
}

/** After this many failed attempts a job is `failed` (its error kept on the row). */
const MAX_ATTEMPTS = 5;

/**
 * Runs the assistant's jobs: reading each inbound message and drafting each message without a
 * template. Claimed like the other queues (SKIP LOCKED on PostgreSQL), at least once; each job's
 * effects commit once, with its `done`.
 */
export class AssistantWorker {
  private readonly loop: BatchLoop;
  private readonly slots: LimitFunction;

  constructor(private readonly o: AssistantWorkerOptions) {
    this.slots = pLimit(o.concurrency);
    const pool = o.database.capabilities.listenNotify ? o.database.pgPool : undefined;
    this.loop = new BatchLoop({
      name: "assistant jobs",
      logger: o.logger,
      batchSize: o.batchSize,
      pollIntervalMs: o.pollIntervalMs,
      runOnce: () => this.runOnce(),
      listen: pool ? { pool, channel: ASSISTANT_CHANNEL } : undefined,
      signal: o.signal,
    });
  }

  wake(): void {
    this.loop.wake();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs every job due now (tests and tools that drive time by hand). */
  runDue(): Promise<number> {
    return this.loop.runDue();
  }

  async runOnce(): Promise<number> {
    const jobs = await claimAssistantJobs(this.o.database, {
      workerId: this.o.workerId,
      now: this.o.ctx.clock.now(),
      limit: this.o.batchSize,
      leaseMs: this.o.leaseMs,
    });
    await Promise.all(jobs.map((job) => this.slots(() => this.run(job))));
    return jobs.length;
  }

  private async run(job: ClaimedJob): Promise<void> {
    try {
      if (job.kind === "read") await readInbound(this.o, job);
      else await draftMessage(this.o, job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.o.logger.error(
        { err: error, jobId: job.id, kind: job.kind, attempts: job.attempts },
        "assistant job failed",
      );
      try {
        if (job.attempts >= MAX_ATTEMPTS) await abandonJob(this.o, job, message);
        else await retryJobLater(this.o.database, job, this.o.ctx.clock.now(), message);
      } catch (recordError) {
        // The lease still ends: another attempt comes then.
        this.o.logger.error(
          { err: recordError, jobId: job.id },
          "recording an assistant job's failure failed",
        );
      }
    }
  }
}
