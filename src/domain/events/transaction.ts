import type { Transaction } from "kysely";
import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { DB, EventsTable } from "../../db/schema.js";
import { newEventId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import {
  applyLeadStamps,
  clearLeadStamps,
  deferLeadStamps,
  holdsStamp,
  orgsWithPendingLeads,
  type SyncStamp,
  syncStamp,
} from "../syncClock.js";
import { type FanOut, fanOutEvents } from "../webhooks/fanOut.js";
import { notifyDeliveriesDue } from "../webhooks/wakeups.js";
import { type EventDataByType, type EventType, serializeEnvelope } from "./catalog.js";
import { endTransactionForOrg } from "./endTransactionPg.js";

export interface EmitInput<T extends EventType> {
  orgId: string;
  leadId: string | null;
  type: T;
  data: EventDataByType[T];
  /** When it happened; defaults to now. */
  at?: Date;
}

export type Emit = <T extends EventType>(input: EmitInput<T>) => Promise<string>;

/** Marks that this transaction made webhook deliveries due (retry, recover, replay). */
export type WakeDispatcher = () => void;

const EVENT_COLUMNS = [
  { name: "id", type: "text" },
  { name: "org_id", type: "text" },
  { name: "type", type: "text" },
  { name: "lead_id", type: "text" },
  { name: "body", type: "text" },
  { name: "occurred_at", type: "text" },
  { name: "created_at", type: "text" },
  { name: "seq", type: "bigint" },
  { name: "is_test", type: "integer" },
] as const satisfies JsonColumns<keyof EventsTable>;

/** One piece of work's events, collected while it runs and written when it is done. */
export type PendingEvent = {
  id: string;
  org_id: string;
  type: EventType;
  lead_id: string | null;
  body: string;
  occurred_at: string;
  created_at: string;
  seq: number;
  is_test: 0;
};

/** What `work` left to do once it returned: its events, and whether it woke every endpoint. */
export interface WorkDone<R> {
  value: R;
  events: PendingEvent[];
  wakeAll: boolean;
}

/** Builds the rows of the events a piece of work emits, to be written when it is done. */
export function collectEvents(ctx: DomainContext): { emit: Emit; events: PendingEvent[] } {
  const events: PendingEvent[] = [];
  const emit: Emit = async (input) => {
    const id = newEventId();
    const now = ctx.clock.now();
    const at = input.at ?? now;
    events.push({
      id,
      org_id: input.orgId,
      type: input.type,
      lead_id: input.leadId,
      body: serializeEnvelope(input.type, id, input.data, at),
      occurred_at: toIso(at),
      // Replaced by the org's sync stamp when the events are written.
      created_at: toIso(now),
      seq: 0,
      is_test: 0,
    });
    return id;
  };
  return { emit, events };
}

/** Runs `work` in `tx`, collecting the events it emits instead of writing them one by one. */
export async function runWork<R>(
  ctx: DomainContext,
  tx: Transaction<DB>,
  work: (tx: Transaction<DB>, emit: Emit, wake: WakeDispatcher) => Promise<R>,
): Promise<WorkDone<R>> {
  const { emit, events } = collectEvents(ctx);
  let wakeAll = false;
  deferLeadStamps(tx);
  const value = await work(tx, emit, () => {
    wakeAll = true;
  });
  return { value, events, wakeAll };
}

/**
 * Ends one transaction's writes: takes each org's sync clock (in org order; held from here to the
 * commit), stamps the leads it changed (syncClock.ts, `leadStamp`) and its events, writes the
 * events, fans them out to deliveries and sends the NOTIFY. Returns the endpoints that got
 * deliveries. Every row lock the transaction needs is already held by now, so nothing here
 * waits on another transaction while it holds a clock.
 *
 * On PostgreSQL all of it is one statement per org (endTransactionPg.ts): the clock serialises an
 * org's commits, and each round trip costs more than the work it carries.
 */
export async function writeEvents(
  ctx: DomainContext,
  tx: Transaction<DB>,
  events: PendingEvent[],
  wakeAll: boolean,
): Promise<FanOut> {
  const orgs = [...new Set([...events.map((e) => e.org_id), ...orgsWithPendingLeads(tx)])].sort();
  if (!ctx.capabilities.singleWriter && orgs.length > 0 && !orgs.some((orgId) => holdsStamp(tx, orgId))) {
    // The turn ends when the clock is ours, not at the commit: the next transaction then waits
    // on the clock row inside PostgreSQL and takes it the moment we commit, with no round trip
    // through this process in between. Still at most one of the process's transactions waits on
    // the row.
    const endTurns = ctx.clockQueue === undefined ? undefined : await ctx.clockQueue.take(orgs);
    try {
      const now = ctx.clock.now();
      const fanned: FanOut = { woken: new Set<string>(), claimed: [] };
      for (const [i, orgId] of orgs.entries()) {
        const ended = await endTransactionForOrg(
          tx,
          orgId,
          now,
          events.filter((e) => e.org_id === orgId),
          wakeAll && i === 0,
          ctx.deliveryHandoff,
        );
        for (const endpointId of ended.woken) fanned.woken.add(endpointId);
        fanned.claimed.push(...ended.claimed);
      }
      clearLeadStamps(tx);
      return fanned;
    } finally {
      endTurns?.();
    }
  }
  if (orgs.length > 0) {
    const now = ctx.clock.now();
    const stamps = new Map<string, SyncStamp>();
    for (const orgId of orgs) {
      const stamp = await syncStamp(tx, orgId, now);
      stamps.set(orgId, stamp);
      await applyLeadStamps(tx, ctx, orgId, stamp);
    }
    clearLeadStamps(tx);
    for (const event of events) {
      const stamp = stamps.get(event.org_id);
      if (stamp !== undefined) {
        event.created_at = stamp.at;
        event.seq = stamp.seq;
      }
    }
  }
  if (events.length > 0) await insertJsonRows(ctx, "events", EVENT_COLUMNS, events).execute(tx);
  return fanOut(ctx, tx, events, wakeAll);
}

/** The events' deliveries, and the NOTIFY that wakes the dispatchers for them. */
async function fanOut(
  ctx: DomainContext,
  tx: Transaction<DB>,
  events: readonly PendingEvent[],
  wakeAll: boolean,
): Promise<FanOut> {
  const now = ctx.clock.now();
  const fanned =
    events.length === 0
      ? { woken: new Set<string>(), claimed: [] }
      : await fanOutEvents(
          tx,
          ctx,
          events.map((e) => ({ id: e.id, orgId: e.org_id, type: e.type, body: e.body, isTest: e.is_test })),
          now,
          ctx.deliveryHandoff?.claim(now),
        );
  if (wakeAll || fanned.woken.size > 0)
    await notifyDeliveriesDue(tx, ctx.capabilities, wakeAll ? undefined : [...fanned.woken]);
  return fanned;
}

/** After the commit: this process's dispatcher takes what was claimed for it and starts at once. */
export function afterCommit(ctx: DomainContext, wakeAll: boolean, fanned: FanOut): void {
  if (fanned.claimed.length > 0) ctx.deliveryHandoff?.accept(fanned.claimed);
  if (wakeAll) ctx.wakeDispatcher();
  else if (fanned.woken.size > 0) ctx.wakeDispatcher([...fanned.woken]);
}

/**
 * Runs `work` in one transaction; events it emits are rows of that same transaction (outbox),
 * together with their webhook deliveries, so a committed change always has its events and
 * deliveries and a rolled-back one has none. Emitted events are written together when `work`
 * is done, still inside the transaction: a batch of a hundred sends is one insert of events and
 * one of deliveries, not a hundred of each.
 *
 * On SQLite the work joins the group commit (`ctx.groupCommit`): concurrent works share one
 * transaction, each in its own savepoint, and each caller is answered only after that commit.
 */
export async function inTransaction<R>(
  ctx: DomainContext,
  work: (tx: Transaction<DB>, emit: Emit, wake: WakeDispatcher) => Promise<R>,
): Promise<R> {
  if (ctx.groupCommit !== undefined) return ctx.groupCommit.run(work);
  let done: WorkDone<R> | undefined;
  let fanned: FanOut | undefined;
  await ctx.db.transaction().execute(async (tx) => {
    done = await runWork(ctx, tx, work);
    fanned = await writeEvents(ctx, tx, done.events, done.wakeAll);
  });
  if (done === undefined || fanned === undefined)
    throw new Error("transaction ended without running its work");
  afterCommit(ctx, done.wakeAll, fanned);
  return done.value;
}
