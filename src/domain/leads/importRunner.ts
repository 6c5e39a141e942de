import type { Logger } from "pino";
import type { DomainContext } from "../context.js";
import { DomainError } from "../errors.js";
import { csvRecords } from "./importCsv.js";
import {
  type ClaimedImport,
  claimImportJob,
  ImportLeaseLost,
  recordImportBatch,
  settleImportJob,
} from "./importJobs.js";
import { importLeads } from "./importLeads.js";
import { parseCountry } from "./importMapping.js";

export interface ImportRunnerOptions {
  ctx: DomainContext;
  logger: Logger;
  workerId: string;
  /** How long a claim holds without progress; each batch renews it. */
  leaseMs?: number;
  /** How often to look for jobs nobody holds (queued elsewhere, or left by a runner that died). */
  pollIntervalMs?: number;
}

/**
 * Works off API imports in the process that received them: one job at a time, each batch's
 * progress committed with its leads. A job whose runner died (a crash, a kill) keeps its lease
 * until it expires; then any API process's runner takes it over, at its next poll or start, and
 * goes on from the last committed batch. A clean stop hands the job back at once.
 */
export class ImportRunner {
  private readonly ctx: DomainContext;
  private readonly logger: Logger;
  private readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(options: ImportRunnerOptions) {
    this.ctx = options.ctx;
    this.logger = options.logger;
    this.workerId = options.workerId;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 30_000;
  }

  start(): void {
    this.stopping = false;
    this.kick();
    this.timer = setInterval(() => this.kick(), this.pollIntervalMs);
    this.timer.unref();
  }

  /** Looks for work now (a job was just queued); a runner already busy looks again when done. */
  kick(): void {
    if (this.stopping) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.error({ err: error }, "lead import runner failed"))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops after the batch in hand (committed, the job handed back) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.stopping) {
      const job = await claimImportJob(this.ctx, this.workerId, this.leaseMs);
      if (job === undefined) return;
      await this.run(job);
    }
  }

  private async run(job: ClaimedImport): Promise<void> {
    const hold = { id: job.id, workerId: this.workerId, leaseMs: this.leaseMs };
    try {
      const result = await importLeads(this.ctx, csvRecords(job.csv).records, {
        orgId: job.orgId,
        profile: job.profile,
        dryRun: job.dryRun,
        map: job.options.map,
        defaultCountry: parseCountry(job.options.defaultCountry),
        resume: { recordsDone: job.recordsDone, counts: job.counts },
        inBatch: (tx, batch) => recordImportBatch(tx, this.ctx, hold, batch),
        shouldStop: () => this.stopping,
      });
      await settleImportJob(this.ctx, hold, { status: result.stopped ? "released" : "done" });
      this.logger.info({ importId: job.id, ...result.counts, stopped: result.stopped }, "lead import");
    } catch (error) {
      if (error instanceof ImportLeaseLost) {
        this.logger.warn({ importId: job.id }, "lead import taken over by another runner");
        return;
      }
      // A file or profile problem is the job's answer; anything else is ours, and logged.
      if (!(error instanceof DomainError))
        this.logger.error({ err: error, importId: job.id }, "lead import failed");
      const message = error instanceof DomainError ? error.message : "Internal error while importing.";
      await settleImportJob(this.ctx, hold, { status: "failed", error: message });
    }
  }
}
