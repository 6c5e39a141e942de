import type { Transaction } from "kysely";
import { toIso } from "../../clock.js";
import type { DB } from "../../db/schema.js";
import { newEventId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import { fanOutEvent } from "../webhooks/fanOut.js";
import { notifyDeliveriesDue } from "../webhooks/wakeups.js";
import { type EventDataByType, type EventType, serializeEnvelope } from "./catalog.js";

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

/**
 * Runs `work` in one transaction; events it emits are rows of that same transaction (outbox),
 * together with their webhook deliveries, so a committed change always has its events and
 * deliveries and a rolled-back one has none.
 */
export async function inTransaction<R>(
  ctx: DomainContext,
  work: (tx: Transaction<DB>, emit: Emit, wake: WakeDispatcher) => Promise<R>,
): Promise<R> {
  let due = false;
  const result = await ctx.db.transaction().execute(async (tx) => {
    const emit: Emit = async (input) => {
      const id = newEventId();
      const now = ctx.clock.now();
      const at = input.at ?? now;
      await tx
        .insertInto("events")
        .values({
          id,
          org_id: input.orgId,
          type: input.type,
          lead_id: input.leadId,
          body: serializeEnvelope(input.type, id, input.data, at),
          occurred_at: toIso(at),
          created_at: toIso(now),
          is_test: 0,
        })
        .execute();
      if ((await fanOutEvent(tx, { id, orgId: input.orgId, type: input.type }, now)) > 0) due = true;
      return id;
    };
    const value = await work(tx, emit, () => {
      due = true;
    });
    if (due) await notifyDeliveriesDue(tx, ctx.capabilities);
    return value;
  });
  if (due) ctx.wakeDispatcher();
  return result;
}
