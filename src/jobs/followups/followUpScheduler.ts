import type { Logger } from "pino";
import { toIso } from "../../clock.js";
import type { Database } from "../../db/database.js";
import type { DomainContext } from "../../domain/context.js";
import { createStepMessages } from "../../domain/followups/stepMessage.js";
import { STOPPED } from "../../domain/leads/followUpConfig.js";
import { BatchLoop } from "../batchLoop.js";

export interface FollowUpSchedulerOptions {
  ctx: DomainContext;
  database: Database;
  logger: Logger;
  batchSize: number;
  pollIntervalMs: number;
}

/**
 * Turns due follow-up steps into queued messages. A due step is a lead row whose timer has passed;
 * claiming it (SKIP LOCKED on PostgreSQL, the single writer on SQLite) and creating its message
 * happen in one transaction, so any number of schedulers create each step once.
 */
export class FollowUpScheduler {
  private readonly loop: BatchLoop;

  constructor(private readonly o: FollowUpSchedulerOptions) {
    this.loop = new BatchLoop({
      name: "scheduling follow-ups",
      logger: o.logger,
      batchSize: o.batchSize,
      pollIntervalMs: o.pollIntervalMs,
      runOnce: () => this.runOnce(),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Everything due now (tests and tools that drive time by hand). */
  runDue(): Promise<number> {
    return this.loop.runDue();
  }

  /** Claims one batch of due steps and queues their messages; returns how many leads were due. */
  async runOnce(): Promise<number> {
    const { database, ctx } = this.o;
    const now = ctx.clock.now();
    const { claimed, queued } = await database.db.transaction().execute(async (tx) => {
      let query = tx
        .selectFrom("leads")
        .select("id")
        .where("next_follow_up_at", "<=", toIso(now))
        .where("deleted_at", "is", null)
        .where("follow_up_step", "!=", STOPPED)
        .orderBy("next_follow_up_at")
        .limit(this.o.batchSize);
      if (database.capabilities.skipLocked) query = query.forUpdate().skipLocked();
      const ids = (await query.execute()).map((r) => r.id);
      return { claimed: ids.length, queued: await createStepMessages(tx, database.capabilities, ids, now) };
    });
    if (queued > 0) ctx.wakeMessageSender();
    return claimed;
  }
}
