import type { Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { OrgBatches } from "./orgBatches.js";
import { type Emit, inTransaction } from "./transaction.js";

/** A piece of work that may run twice: once in a batch that then fails as a whole, once alone. */
export type RepeatableWork<R> = (tx: Transaction<DB>, emit: Emit) => Promise<R>;

/** A work and the lead whose row it locks: works of a batch run in lead order. */
interface Keyed {
  leadId: string;
  work: RepeatableWork<unknown>;
}

/**
 * PostgreSQL: `inTransaction` work of one org that arrives together shares one transaction, one
 * after another (orgBatches.ts), so a stream of small commits (the assistant's readings, one per
 * inbound text) takes the org's sync clock and waits for a WAL flush once per batch instead of
 * once each. There are no savepoints: a batch that fails as a whole runs each work again alone,
 * so only the work at fault fails, and so a work must keep nothing from a run but its result.
 *
 * A batch's works run in the order of the leads they lock, as inbound texts take theirs
 * (inboundTextBatches.ts): two batches that wait for each other's leads would deadlock, and
 * PostgreSQL breaks a deadlock only after a second.
 */
export class OrgWorkBatches {
  private readonly batches: OrgBatches<Keyed, unknown>;

  constructor(ctx: DomainContext, maxBatch: number) {
    this.batches = new OrgBatches(maxBatch, {
      write: (_orgId, works) =>
        inTransaction(ctx, async (tx, emit) => {
          const results: unknown[] = [];
          const order = [...works.keys()].sort((a, b) => compare(works[a]?.leadId, works[b]?.leadId));
          for (const i of order) {
            const keyed = works[i];
            if (keyed !== undefined) results[i] = await keyed.work(tx, emit);
          }
          return results;
        }),
      writeAlone: (_orgId, keyed) => inTransaction(ctx, keyed.work),
    });
  }

  run<R>(orgId: string, leadId: string, work: RepeatableWork<R>): Promise<R> {
    return this.batches.add(orgId, { leadId, work }) as Promise<R>;
  }
}

function compare(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  return (a ?? "") < (b ?? "") ? -1 : 1;
}

/**
 * `work` on the lead in a transaction of its own, or on PostgreSQL in one shared with the org's
 * other work (OrgWorkBatches).
 */
export function inLeadTransaction<R>(
  ctx: DomainContext,
  lead: { orgId: string; leadId: string },
  work: RepeatableWork<R>,
): Promise<R> {
  return ctx.orgWork === undefined
    ? inTransaction(ctx, work)
    : ctx.orgWork.run(lead.orgId, lead.leadId, work);
}
