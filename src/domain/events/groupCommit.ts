import { sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { DomainContext, GroupCommitRunner } from "../context.js";
import { forgetStamps } from "../syncClock.js";
import {
  type Emit,
  runWork,
  type WakeDispatcher,
  type WorkDone,
  wakeAfterCommit,
  writeEvents,
} from "./transaction.js";

type Work<R> = (tx: Transaction<DB>, emit: Emit, wake: WakeDispatcher) => Promise<R>;

interface Waiting {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite's single writer: the `inTransaction` work that arrives while the event
 * loop turns (concurrent API requests, mostly) shares one transaction. Each work runs in its own
 * savepoint, so one that fails is rolled back alone and its caller gets its error; the events of
 * all of them are written together at the end (one stamp per org, one insert of events, one
 * fan-out), and every caller is answered only after the commit. One commit per batch instead of
 * one per change is most of what a change costs SQLite: its pages are written to the WAL once.
 *
 * The works of a batch run one after another in arrival order, as separate transactions would on
 * one connection, so each sees the writes of those before it and no change is lost.
 */
export class GroupCommit implements GroupCommitRunner {
  private queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly ctx: DomainContext,
    private readonly maxBatch: number,
  ) {}

  run<R>(work: Work<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // One turn of the event loop lets the requests already read join this batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      await this.commit(this.queue.splice(0, this.maxBatch));
      // Let requests that arrived during the commit be read before the next batch closes.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.draining = false;
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const done: { waiting: Waiting; result: WorkDone<unknown> }[] = [];
    let woken = new Set<string>();
    let wakeAll = false;
    try {
      await this.ctx.db.transaction().execute(async (tx) => {
        for (const waiting of batch) {
          await sql`savepoint lw_work`.execute(tx);
          try {
            const result = await runWork(this.ctx, tx, waiting.work);
            await sql`release savepoint lw_work`.execute(tx);
            done.push({ waiting, result });
          } catch (error) {
            await sql`rollback to savepoint lw_work`.execute(tx);
            await sql`release savepoint lw_work`.execute(tx);
            forgetStamps(tx);
            // Nothing of this work will commit: its caller may learn so now.
            waiting.reject(error);
          }
        }
        wakeAll = done.some(({ result }) => result.wakeAll);
        woken = await writeEvents(
          this.ctx,
          tx,
          done.flatMap(({ result }) => result.events),
          wakeAll,
        );
      });
    } catch (error) {
      for (const { waiting } of done) waiting.reject(error);
      return;
    }
    for (const { waiting, result } of done) waiting.resolve(result.value);
    wakeAfterCommit(this.ctx, wakeAll, woken);
  }
}
