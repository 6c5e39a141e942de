import { sql, type Updateable } from "kysely";
import { toIso } from "../../clock.js";
import type { LeadsTable } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { DELIVERIES_CHANNEL, MAX_NOTIFY_PAYLOAD } from "../webhooks/wakeups.js";
import { type PendingEvent, wakeAfterCommit } from "./transaction.js";

/** The columns `lw_change_lead` (migration 0017) writes; a change touching any other is not its job. */
const VERSIONED_COLUMNS: ReadonlySet<string> = new Set<keyof LeadsTable>([
  "first_name",
  "last_name",
  "email",
  "time_zone",
  "external_lead_id",
  "is_ai_on",
  "next_follow_up_at",
  "follow_up_config",
  "follow_up_step",
  "additional_info",
]);

export function fitsVersionedWrite(changes: Updateable<LeadsTable>): boolean {
  return Object.keys(changes).every((column) => VERSIONED_COLUMNS.has(column));
}

/**
 * PostgreSQL: writes one lead's change and its events in one statement, its own transaction,
 * if the lead's row is still `version` (its `xmin` when it was read). Returns false when the row
 * moved on (another change committed since the read) or the lead is gone: nothing was written,
 * and the caller reads again. On success the events are stamped, stored and fanned out to
 * deliveries exactly as `inTransaction` does (lw_end_transaction), in the same commit.
 */
export async function writeVersionedLeadChange(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  version: string,
  changes: Updateable<LeadsTable>,
  events: readonly PendingEvent[],
): Promise<boolean> {
  const rows = JSON.stringify(
    events.map((e) => [e.id, e.org_id, e.type, e.lead_id, e.body, e.occurred_at, e.is_test]),
  );
  const result = await sql<{ o_applied: boolean; o_woken: string }>`
    select o_applied, o_woken from lw_change_lead(
      ${orgId}, ${leadId}, ${version}, ${JSON.stringify(changes)}::jsonb, ${toIso(ctx.clock.now())},
      ${rows}::jsonb, ${DELIVERIES_CHANNEL}, ${MAX_NOTIFY_PAYLOAD}
    )`.execute(ctx.db);
  const row = result.rows[0];
  if (row === undefined || !row.o_applied) return false;
  wakeAfterCommit(ctx, false, new Set(row.o_woken === "" ? [] : row.o_woken.split(",")));
  return true;
}
