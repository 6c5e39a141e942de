import { sql, type Transaction } from "kysely";
import { toIso } from "../../clock.js";
import type { DB, EventsTable } from "../../db/schema.js";
import { pendingLeadsOf, type SyncStamp } from "../syncClock.js";

/** An event as `writeEvents` holds it before its org's stamp; `created_at` and `seq` come from the clock. */
export type UnstampedEvent = Pick<
  EventsTable,
  "id" | "org_id" | "type" | "lead_id" | "body" | "occurred_at"
> & {
  is_test: 0 | 1;
};

const ids = (list: readonly string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb))`;

/**
 * PostgreSQL: takes the org's sync clock, stamps the leads this transaction marked (syncClock.ts,
 * `leadStamp`) and inserts the org's events with the stamp, all in one statement. The clock row
 * stays locked to the commit, and every commit of the org waits for it: from here on the
 * transaction costs its org this one round trip and the commit, instead of one per statement.
 * Every row it writes is already held by the transaction (its leads) or new (its events), so it
 * never waits on another transaction's row while it holds the clock.
 */
export async function stampAndInsertEvents(
  tx: Transaction<DB>,
  orgId: string,
  now: Date,
  events: readonly UnstampedEvent[],
): Promise<SyncStamp> {
  const at = toIso(now);
  const leads = pendingLeadsOf(tx, orgId);
  const rows = JSON.stringify(
    events.map((e) => [e.id, e.org_id, e.type, e.lead_id, e.body, e.occurred_at, e.is_test]),
  );
  const result = await sql<{ seq: string | number; at: string }>`
    with clock as (
      insert into sync_clocks (org_id, seq, at) values (${orgId}, 1, ${at})
      on conflict (org_id) do update set
        seq = sync_clocks.seq + 1,
        at = case when sync_clocks.at > excluded.at then sync_clocks.at else excluded.at end
      returning seq, at
    ), stamped_leads as (
      update leads set
        updated_seq = clock.seq,
        updated_at = clock.at,
        created_seq = case when leads.id in ${ids(leads.created)} then clock.seq else leads.created_seq end,
        created_at = case when leads.id in ${ids(leads.created)} then clock.at else leads.created_at end,
        deleted_at = case when leads.id in ${ids(leads.deleted)} then clock.at else leads.deleted_at end
      from clock
      where leads.org_id = ${orgId} and leads.id in ${ids(leads.all)}
      returning 1
    ), inserted_events as (
      insert into events (id, org_id, type, lead_id, body, occurred_at, is_test, created_at, seq)
      select e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5,
        (e.value ->> 6)::integer, clock.at, clock.seq
      from jsonb_array_elements(${rows}::jsonb) as e(value) cross join clock
      returning 1
    )
    select seq, at from clock`.execute(tx);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`the sync clock of org ${orgId} returned no row`);
  return { seq: Number(row.seq), at: row.at };
}
