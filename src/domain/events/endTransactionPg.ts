import { sql, type Transaction } from "kysely";
import { toIso } from "../../clock.js";
import type { DB, EventsTable } from "../../db/schema.js";
import { pendingLeadsOf, type SyncStamp } from "../syncClock.js";
import { DELIVERIES_CHANNEL, MAX_NOTIFY_PAYLOAD } from "../webhooks/wakeups.js";

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
 * PostgreSQL: the end of one org's part of a transaction, in one statement. It takes the org's
 * sync clock, stamps the leads this transaction marked (syncClock.ts, `leadStamp`), inserts the
 * org's events with the stamp, makes a pending delivery of each for every enabled endpoint of the
 * org whose filter takes it (fanOut.ts does the same in code on SQLite) and NOTIFYs the
 * dispatchers (sent at the commit).
 *
 * One statement because the clock row stays locked to the commit and every commit of the org
 * waits for it, and because each round trip to the server costs both sides more CPU than the
 * work it carries: a change is now one statement here and its commit, where it was six. It never
 * waits on another transaction's row while it holds the clock: it writes only rows the
 * transaction holds already (its leads) or new ones, and reads the endpoints without locking them.
 *
 * Delivery ids are made here: the millisecond (as a UUIDv7 starts), the row's place in this
 * statement, then random bits, so one transaction's deliveries sort in the order of its events.
 */
export async function endTransactionForOrg(
  tx: Transaction<DB>,
  orgId: string,
  now: Date,
  events: readonly UnstampedEvent[],
  wakeAll: boolean,
): Promise<{ stamp: SyncStamp; woken: string[] }> {
  const at = toIso(now);
  const leads = pendingLeadsOf(tx, orgId);
  const rows = JSON.stringify(
    events.map((e) => [e.id, e.org_id, e.type, e.lead_id, e.body, e.occurred_at, e.is_test]),
  );
  const result = await sql<{ seq: string | number; at: string; woken: string }>`
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
    ), new_events as (
      select e.value, e.place from jsonb_array_elements(${rows}::jsonb) with ordinality as e(value, place)
    ), inserted_events as (
      insert into events (id, org_id, type, lead_id, body, occurred_at, is_test, created_at, seq)
      select e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5,
        (e.value ->> 6)::integer, clock.at, clock.seq
      from new_events e cross join clock
      returning 1
    ), targets as (
      select e.value ->> 0 as event_id, e.value ->> 2 as event_type, ep.id as endpoint_id,
        row_number() over (order by e.place, ep.id) as place
      from new_events e
      join webhook_endpoints ep on ep.org_id = ${orgId} and ep.enabled = 1
        and (ep.events::jsonb ? '*' or ep.events::jsonb ? (e.value ->> 2))
    ), deliveries as (
      insert into webhook_deliveries
        (id, org_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at, updated_at)
      select
        'whd_' || lpad(to_hex(floor(extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
          || lpad(to_hex(t.place), 4, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 17, 16),
        ${orgId}, t.endpoint_id, t.event_id, t.event_type, 'pending', 0, ${at}, ${at}, ${at}
      from targets t
      returning endpoint_id
    ), woken as (
      select coalesce(string_agg(distinct endpoint_id, ','), '') as list from deliveries
    )
    select clock.seq, clock.at, woken.list as woken,
      case when ${wakeAll} or woken.list <> '' then pg_notify(
        ${DELIVERIES_CHANNEL},
        case when ${wakeAll} or length(woken.list) > ${MAX_NOTIFY_PAYLOAD} then '' else woken.list end
      ) end as notified
    from clock cross join woken`.execute(tx);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`the sync clock of org ${orgId} returned no row`);
  return { stamp: { seq: Number(row.seq), at: row.at }, woken: row.woken === "" ? [] : row.woken.split(",") };
}
