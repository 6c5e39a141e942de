import type pg from "pg";
import type { Logger } from "pino";

/**
 * The tables whose rows are updated again and again as work moves through them: each claim,
 * lease and result leaves a dead row version behind, and the claim indexes point at them.
 */
export const CHURNED_TABLES = ["webhook_deliveries", "messages", "assistant_jobs", "leads"] as const;
export type ChurnedTable = (typeof CHURNED_TABLES)[number];

/**
 * The session advisory lock one vacuuming worker holds, keyed by schema, so databases sharing one
 * server (or tests sharing one database) do not wait on each other.
 */
export const VACUUM_LOCK_KEY = "hashtext('leadwire.queue_vacuum.' || current_schema())";

export interface QueueVacuumOptions {
  pool: pg.Pool;
  logger: Logger;
  /** A table is vacuumed once it holds this many dead row versions. */
  minDeadRows: number;
  intervalMs: number;
}

/**
 * Keeps the queue tables cheap to claim from on PostgreSQL whatever the server's vacuum settings.
 * Every claimed, retried or finished delivery, message and job leaves a dead row version, and until
 * a VACUUM removes them the claim queries step over their index entries: with autovacuum off, a
 * claim that found nothing read 51,000 dead entries (52 ms), and with autovacuum on, its default
 * trigger (20% of a table that keeps every finished delivery for the log) comes far too late for
 * the small due index. So a worker looks at the server's own dead-row count now and then and
 * vacuums a table past an absolute number of them. One worker at a time: the others find the
 * advisory lock taken and skip that round. VACUUM never blocks reads or writes.
 */
export class QueueVacuum {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: QueueVacuumOptions) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.runOnce().finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.o.intervalMs);
        this.timer.unref();
      });
    };
    this.timer = setTimeout(tick, this.o.intervalMs);
    this.timer.unref();
  }

  /** One round: the tables it vacuumed (none when another worker holds the lock). */
  async runOnce(): Promise<ChurnedTable[]> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.o.pool.connect();
      // A session lock, because VACUUM cannot run inside a transaction.
      const locked = await client.query<{ ok: boolean }>(
        `select pg_try_advisory_lock(${VACUUM_LOCK_KEY}) as ok`,
      );
      if (locked.rows[0]?.ok !== true) return [];
      try {
        return await this.vacuumChurned(client);
      } finally {
        await client.query(`select pg_advisory_unlock(${VACUUM_LOCK_KEY})`);
      }
    } catch (error) {
      this.o.logger.warn({ err: error }, "queue vacuum failed; will look again next interval");
      return [];
    } finally {
      client?.release();
    }
  }

  private async vacuumChurned(client: pg.PoolClient): Promise<ChurnedTable[]> {
    const stats = await client.query<{ relname: string; n_dead_tup: string | number }>(
      `select relname, n_dead_tup from pg_stat_user_tables
        where schemaname = current_schema() and relname = any($1::text[])`,
      [CHURNED_TABLES],
    );
    const due = CHURNED_TABLES.filter((table) => {
      const row = stats.rows.find((r) => r.relname === table);
      return row !== undefined && Number(row.n_dead_tup) >= this.o.minDeadRows;
    });
    for (const table of due) {
      const started = performance.now();
      // The name comes from CHURNED_TABLES, never from input.
      await client.query(`vacuum ${table}`);
      this.o.logger.debug({ table, ms: Math.round(performance.now() - started) }, "queue vacuum");
    }
    return due;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
