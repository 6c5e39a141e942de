import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * PostgreSQL only: one lead's change, checked and written in one statement (changeLeadPg.ts).
 * The caller read the lead without a lock and worked out the new values; this applies them only
 * if the row is still the version it read (its `xmin`, which every update of the row changes,
 * whoever makes it). It locks the lead first, then ends the transaction as `lw_end_transaction`
 * does (0016: the org's clock, the events, their deliveries, the NOTIFY), then writes the change
 * and the clock's stamp as one new row version of the lead (the locked path writes two). Run on
 * its own it is its own transaction, so a change is two round trips (the read and this) instead
 * of five.
 *
 * Only the columns a PATCH can set are taken, each when `p_changes` has its key (a JSON null
 * sets NULL); `o_applied` is false when the row moved on or is gone, and the caller reads again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create or replace function lw_change_lead(
      p_org text, p_lead text, p_version text, p_changes jsonb, p_at text, p_events jsonb,
      p_channel text, p_max_payload integer
    ) returns table (o_applied boolean, o_woken text)
    language plpgsql volatile as $fn$
    declare
      v_seq bigint;
      v_at text;
      v_woken text;
    begin
      -- Locked, not yet changed: the clock comes after the lead, as in every other transaction.
      perform 1 from leads l
      where l.id = p_lead and l.org_id = p_org and l.deleted_at is null and l.xmin = p_version::xid
      for update;
      if not found then
        return query select false, ''::text;
        return;
      end if;
      select e.o_seq, e.o_at, e.o_woken into v_seq, v_at, v_woken from lw_end_transaction(
        p_org, p_at, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, p_events, false, p_channel, p_max_payload
      ) e;
      -- The change and its stamp in one row version.
      update leads l set
        first_name = case when p_changes ? 'first_name' then p_changes ->> 'first_name' else l.first_name end,
        last_name = case when p_changes ? 'last_name' then p_changes ->> 'last_name' else l.last_name end,
        email = case when p_changes ? 'email' then p_changes ->> 'email' else l.email end,
        time_zone = case when p_changes ? 'time_zone' then p_changes ->> 'time_zone' else l.time_zone end,
        external_lead_id = case when p_changes ? 'external_lead_id'
          then p_changes ->> 'external_lead_id' else l.external_lead_id end,
        is_ai_on = case when p_changes ? 'is_ai_on' then (p_changes ->> 'is_ai_on')::integer else l.is_ai_on end,
        next_follow_up_at = case when p_changes ? 'next_follow_up_at'
          then p_changes ->> 'next_follow_up_at' else l.next_follow_up_at end,
        follow_up_config = case when p_changes ? 'follow_up_config'
          then p_changes ->> 'follow_up_config' else l.follow_up_config end,
        follow_up_step = case when p_changes ? 'follow_up_step'
          then (p_changes ->> 'follow_up_step')::integer else l.follow_up_step end,
        additional_info = case when p_changes ? 'additional_info'
          then p_changes ->> 'additional_info' else l.additional_info end,
        updated_at = v_at,
        updated_seq = v_seq
      where l.id = p_lead;
      return query select true, v_woken;
    end
    $fn$`.execute(db);
}
