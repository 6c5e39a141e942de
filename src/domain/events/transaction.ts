import type { Transaction } from "kysely";
import { toIso } from "../../clock.js";
import type { DB } from "../../db/schema.js";
import { newEventId } from "../../ids.js";
import type { DomainContext } from "../context.js";
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

/**
 * Runs `work` in one transaction; events it emits are rows of that same transaction (outbox),
 * so a committed change always has its events and a rolled-back one has none.
 */
export async function inTransaction<R>(
  ctx: DomainContext,
  work: (tx: Transaction<DB>, emit: Emit) => Promise<R>,
): Promise<R> {
  let emitted = 0;
  const result = await ctx.db.transaction().execute(async (tx) => {
    const emit: Emit = async (input) => {
      const id = newEventId();
      const at = input.at ?? ctx.clock.now();
      await tx
        .insertInto("events")
        .values({
          id,
          org_id: input.orgId,
          type: input.type,
          lead_id: input.leadId,
          body: serializeEnvelope(input.type, id, input.data, at),
          occurred_at: toIso(at),
          created_at: toIso(ctx.clock.now()),
        })
        .execute();
      emitted++;
      return id;
    };
    return work(tx, emit);
  });
  if (emitted > 0) ctx.onEventsCommitted();
  return result;
}
