import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Database } from "../db/database.js";

export interface PruneCounts {
  attempts: number;
  deliveries: number;
  events: number;
}

const BATCH = 500;

/**
 * Deletes webhook attempts, finished deliveries and events older than the cutoff, in small
 * batches with a pause between them: each batch is a short transaction, so the dispatcher's
 * claims and writes never wait long behind the pruner. Pending deliveries and the events they
 * carry are kept whatever their age.
 */
export async function pruneOnce(
  database: Database,
  cutoff: Date,
  pause = () => new Promise((r) => setImmediate(r)),
) {
  const before = cutoff.toISOString();
  const { db } = database;
  const counts: PruneCounts = { attempts: 0, deliveries: 0, events: 0 };
  const drain = async (step: () => Promise<number>, key: keyof PruneCounts) => {
    for (;;) {
      const n = await step();
      counts[key] += n;
      if (n < BATCH) return;
      await pause();
    }
  };
  await drain(async () => {
    const ids = db
      .selectFrom("webhook_attempts")
      .select("id")
      .where("attempted_at", "<", before)
      .limit(BATCH);
    return Number(
      (await db.deleteFrom("webhook_attempts").where("id", "in", ids).executeTakeFirst()).numDeletedRows,
    );
  }, "attempts");
  await drain(async () => {
    const ids = db
      .selectFrom("webhook_deliveries as d")
      .select("d.id")
      .where("d.status", "!=", "pending")
      .where("d.updated_at", "<", before)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom("webhook_attempts as a").select("a.id").whereRef("a.delivery_id", "=", "d.id"),
          ),
        ),
      )
      .limit(BATCH);
    return Number(
      (await db.deleteFrom("webhook_deliveries").where("id", "in", ids).executeTakeFirst()).numDeletedRows,
    );
  }, "deliveries");
  await drain(async () => {
    const ids = db
      .selectFrom("events as e")
      .select("e.id")
      .where("e.created_at", "<", before)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom("webhook_deliveries as d").select("d.id").whereRef("d.event_id", "=", "e.id"),
          ),
        ),
      )
      .limit(BATCH);
    return Number((await db.deleteFrom("events").where("id", "in", ids).executeTakeFirst()).numDeletedRows);
  }, "events");
  return counts;
}

/** Runs pruneOnce shortly after start and then every `intervalMs`. */
export class RetentionPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: {
      database: Database;
      clock: Clock;
      logger: Logger;
      retentionDays: number;
      intervalMs: number;
    },
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.runOnce().finally(() => {
        this.timer = setTimeout(tick, this.o.intervalMs);
        this.timer.unref();
      });
    };
    this.timer = setTimeout(tick, Math.min(60_000, this.o.intervalMs));
    this.timer.unref();
  }

  async runOnce(): Promise<PruneCounts | undefined> {
    const cutoff = new Date(this.o.clock.now().getTime() - this.o.retentionDays * 86_400_000);
    try {
      const counts = await pruneOnce(this.o.database, cutoff);
      if (counts.attempts + counts.deliveries + counts.events > 0)
        this.o.logger.info({ ...counts }, "retention: pruned");
      return counts;
    } catch (error) {
      this.o.logger.error({ err: error }, "retention pruning failed; will retry next interval");
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
