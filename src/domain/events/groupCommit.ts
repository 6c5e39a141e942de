import { sql, type Transaction } from "kysely";
import type { Logger } from "pino";
import { Batcher } from "../../batcher.js";
import type { DB } from "../../db/schema.js";
import type { DomainContext, GroupCommitRunner } from "../context.js";
import { dropLeadStampsSince, forgetStamps, pendingLeadStampMark } from "../syncClock.js";
import type { FanOut } from "../webhooks/fanOut.js";
import {
  afterCommit,
  type Emit,
  runWork,
  type WakeDispatcher,
  type WorkDone,
  writeEvents,
} from "./transaction.js";

type Work<R> = (tx: Transaction<DB>, emit: Emit, wake: WakeDispatcher) => Promise<R>;

/** How one work of a batch ended: its value once the batch committed, or its own error. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

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
  private readonly batcher: Batcher<Work<unknown>, Outcome>;

  constructor(
    private readonly ctx: DomainContext,
    logger: Logger,
    maxBatch: number,
  ) {
    // No delay beyond one turn of the event loop: the requests already read join the batch.
    this.batcher = new Batcher((works) => this.commit(works), logger, {
      what: "grouped changes",
      maxBatch,
      maxDelayMs: 0,
    });
  }

  async run<R>(work: Work<R>): Promise<R> {
    const outcome = await this.batcher.add(work);
    if (!outcome.ok) throw outcome.error;
    return outcome.value as R;
  }

  private async commit(works: Work<unknown>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const done: WorkDone<unknown>[] = [];
    let fanned: FanOut = { woken: new Set<string>(), claimed: [] };
    let wakeAll = false;
    await this.ctx.db.transaction().execute(async (tx) => {
      for (const work of works) {
        await sql`savepoint lw_work`.execute(tx);
        const mark = pendingLeadStampMark(tx);
        try {
          const result = await runWork(this.ctx, tx, work);
          await sql`release savepoint lw_work`.execute(tx);
          done.push(result);
          outcomes.push({ ok: true, value: result.value });
        } catch (error) {
          await sql`rollback to savepoint lw_work`.execute(tx);
          await sql`release savepoint lw_work`.execute(tx);
          forgetStamps(tx);
          dropLeadStampsSince(tx, mark);
          outcomes.push({ ok: false, error });
        }
      }
      wakeAll = done.some((result) => result.wakeAll);
      fanned = await writeEvents(
        this.ctx,
        tx,
        done.flatMap((result) => result.events),
        wakeAll,
      );
    });
    afterCommit(this.ctx, wakeAll, fanned);
    return outcomes;
  }
}
