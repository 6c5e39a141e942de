import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * PostgreSQL only. `lw_end_transaction` (0016) with one more parameter, `p_claim`: when the
 * process that commits runs a dispatcher with room, the new
 * deliveries it may send itself are written already claimed by it (domain/webhooks/handoff.ts),
 * and come back with what sending them needs. They skip the dispatcher's claim (two round trips
 * and a row version each) and the NOTIFY: no other process could take them. The others are
 * written pending and due, and NOTIFY as before.
 *
 * `p_claim` is null (claim nothing) or `{"by": worker id, "until": lease end, "room": {endpoint
 * id: how many}, "default": how many for an endpoint not in "room"}`; an endpoint's deliveries
 * are claimed in event order up to its room. `o_claimed` lists the claimed ones as
 * `[delivery id, endpoint id, event id, url, secret, previous secret, its expiry, max concurrency,
 * rate limit]`.
 *
 * And `lw_change_leads`, `lw_change_lead` (0017) for a batch of one org's lead changes
 * (changeLeadPg.ts): each item `[lead id, version read, changes, its events]` is applied if its
 * lead is still that version and no other transaction holds it, all of them in one transaction
 * with one tick of the org's clock and one WAL flush. An org's commits are serialised by its
 * clock, from the tick to the flush; one change per commit capped a busy org at about one change
 * per flush. `o_applied` lists the leads changed; the caller works the others out again.
 *
 * The functions of 0016 and 0017 stay, for processes of the previous version during a rolling
 * upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create or replace function lw_end_transaction(
      p_org text, p_at text, p_leads jsonb, p_created jsonb, p_deleted jsonb, p_events jsonb,
      p_wake_all boolean, p_channel text, p_max_payload integer, p_claim jsonb
    ) returns table (o_seq bigint, o_at text, o_woken text, o_claimed jsonb)
    language plpgsql volatile as $fn$
    declare
      v_seq bigint;
      v_at text;
      v_list text;
      v_claimed jsonb;
    begin
      with clock as (
        insert into sync_clocks (org_id, seq, at) values (p_org, 1, p_at)
        on conflict (org_id) do update set
          seq = sync_clocks.seq + 1,
          at = case when sync_clocks.at > excluded.at then sync_clocks.at else excluded.at end
        returning seq, at
      ), stamped_leads as (
        update leads set
          updated_seq = clock.seq,
          updated_at = clock.at,
          created_seq = case when leads.id in (select jsonb_array_elements_text(p_created)) then clock.seq else leads.created_seq end,
          created_at = case when leads.id in (select jsonb_array_elements_text(p_created)) then clock.at else leads.created_at end,
          deleted_at = case when leads.id in (select jsonb_array_elements_text(p_deleted)) then clock.at else leads.deleted_at end
        from clock
        where leads.org_id = p_org and leads.id in (select jsonb_array_elements_text(p_leads))
        returning 1
      ), new_events as (
        select e.value, e.place from jsonb_array_elements(p_events) with ordinality as e(value, place)
      ), inserted_events as (
        insert into events (id, org_id, type, lead_id, body, occurred_at, is_test, created_at, seq)
        select e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5,
          (e.value ->> 6)::integer, clock.at, clock.seq
        from new_events e cross join clock
        returning 1
      ), matched as (
        select e.value ->> 0 as event_id, e.value ->> 2 as event_type, ep.id as endpoint_id,
          ep.url, ep.secret, ep.previous_secret, ep.previous_secret_expires_at, ep.max_concurrency,
          ep.rate_limit_per_second,
          row_number() over (order by e.place, ep.id) as place,
          row_number() over (partition by ep.id order by e.place) as nth
        from new_events e
        join webhook_endpoints ep on ep.org_id = p_org and ep.enabled = 1
          and (ep.events::jsonb ? '*' or ep.events::jsonb ? (e.value ->> 2))
      ), targets as (
        select m.*, p_claim is not null and m.nth <= coalesce(
          (p_claim -> 'room' ->> m.endpoint_id)::integer, (p_claim ->> 'default')::integer
        ) as claimed
        from matched m
      ), deliveries as (
        insert into webhook_deliveries
          (id, org_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,
           locked_by, locked_until, created_at, updated_at)
        select
          'whd_' || lpad(to_hex(floor(extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
            || lpad(to_hex(t.place), 4, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 17, 16),
          p_org, t.endpoint_id, t.event_id, t.event_type, 'pending', 0,
          case when t.claimed then p_claim ->> 'until' else p_at end,
          case when t.claimed then p_claim ->> 'by' end,
          case when t.claimed then p_claim ->> 'until' end,
          p_at, p_at
        from targets t
        returning id, endpoint_id, event_id, locked_by is not null as claimed
      ), awake as (
        select coalesce(string_agg(distinct d.endpoint_id, ',') filter (where not d.claimed), '') as list,
          coalesce(jsonb_agg(jsonb_build_array(d.id, d.endpoint_id, d.event_id, t.url, t.secret,
            t.previous_secret, t.previous_secret_expires_at, t.max_concurrency, t.rate_limit_per_second)
            order by d.id) filter (where d.claimed), '[]'::jsonb) as claimed
        from deliveries d
        join targets t on t.endpoint_id = d.endpoint_id and t.event_id = d.event_id
      )
      select clock.seq, clock.at, awake.list, awake.claimed into v_seq, v_at, v_list, v_claimed
      from clock cross join awake;
      -- Sent at the commit, when the deliveries become visible; claimed ones need no one else.
      if p_wake_all or v_list <> '' then
        perform pg_notify(p_channel, case when p_wake_all or length(v_list) > p_max_payload then '' else v_list end);
      end if;
      return query select v_seq, v_at, v_list, v_claimed;
    end
    $fn$`.execute(db);
  await sql`
    create or replace function lw_change_leads(
      p_org text, p_items jsonb, p_at text, p_channel text, p_max_payload integer, p_claim jsonb
    ) returns table (o_applied jsonb, o_woken text, o_claimed jsonb)
    language plpgsql volatile as $fn$
    declare
      v_applied text[];
      v_events jsonb;
      v_seq bigint;
      v_at text;
      v_woken text;
      v_claimed jsonb;
    begin
      -- Locked, not yet changed: the leads still at the version their change was worked out
      -- from. One another transaction holds is skipped, never waited for: that one is changing
      -- it, so the version read is stale anyway, and nothing here waits while others may wait
      -- on this transaction's clock.
      select coalesce(array_agg(l.id), '{}') into v_applied from (
        select l.id from leads l
        join jsonb_array_elements(p_items) i(value)
          on l.id = i.value ->> 0 and l.xmin = (i.value ->> 1)::xid
        where l.org_id = p_org and l.deleted_at is null
        for update of l skip locked
      ) l;
      if cardinality(v_applied) = 0 then
        return query select '[]'::jsonb, ''::text, '[]'::jsonb;
        return;
      end if;
      select coalesce(jsonb_agg(e.value order by i.place, e.place), '[]'::jsonb) into v_events
      from jsonb_array_elements(p_items) with ordinality i(value, place)
      cross join jsonb_array_elements(i.value -> 3) with ordinality e(value, place)
      where i.value ->> 0 = any(v_applied);
      select e.o_seq, e.o_at, e.o_woken, e.o_claimed into v_seq, v_at, v_woken, v_claimed
      from lw_end_transaction(
        p_org, p_at, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, v_events, false, p_channel, p_max_payload,
        p_claim
      ) e;
      -- Each change and its stamp in one row version.
      update leads l set
        first_name = case when c ? 'first_name' then c ->> 'first_name' else l.first_name end,
        last_name = case when c ? 'last_name' then c ->> 'last_name' else l.last_name end,
        email = case when c ? 'email' then c ->> 'email' else l.email end,
        time_zone = case when c ? 'time_zone' then c ->> 'time_zone' else l.time_zone end,
        external_lead_id = case when c ? 'external_lead_id'
          then c ->> 'external_lead_id' else l.external_lead_id end,
        is_ai_on = case when c ? 'is_ai_on' then (c ->> 'is_ai_on')::integer else l.is_ai_on end,
        next_follow_up_at = case when c ? 'next_follow_up_at'
          then c ->> 'next_follow_up_at' else l.next_follow_up_at end,
        follow_up_config = case when c ? 'follow_up_config'
          then c ->> 'follow_up_config' else l.follow_up_config end,
        follow_up_step = case when c ? 'follow_up_step'
          then (c ->> 'follow_up_step')::integer else l.follow_up_step end,
        additional_info = case when c ? 'additional_info'
          then c ->> 'additional_info' else l.additional_info end,
        updated_at = v_at,
        updated_seq = v_seq
      from (select i.value ->> 0 as lead_id, i.value -> 2 as c from jsonb_array_elements(p_items) i(value)) i
      where l.id = i.lead_id and l.id = any(v_applied);
      return query select to_jsonb(v_applied), v_woken, v_claimed;
    end
    $fn$`.execute(db);
}
