import { sql, type Updateable } from "kysely";
import { z } from "zod";
import { toIso } from "../../clock.js";
import type { LeadsTable } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { claimArgument, claimedDeliveries } from "../webhooks/handoff.js";
import { DELIVERIES_CHANNEL, MAX_NOTIFY_PAYLOAD } from "../webhooks/wakeups.js";
import { eventTuple, wokenEndpoints } from "./endTransactionPg.js";
import { afterCommit, type PendingEvent } from "./transaction.js";

/** The columns `lw_change_leads` (migration 0018) writes; a change touching any other is not its job. */
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

/** One lead's change, worked out from the row at `version` (its `xmin` when it was read). */
export interface VersionedLeadChange {
  leadId: string;
  version: string;
  changes: Updateable<LeadsTable>;
  events: readonly PendingEvent[];
}

const appliedSchema = z.array(z.string());

/**
 * PostgreSQL: writes a batch of one org's lead changes and their events in one statement, its own
 * transaction (lw_change_leads). Each change is written only if its lead is still the version it
 * was worked out from and no other transaction holds it; returns the leads whose change was
 * written. For the others nothing was written, and the caller reads again. The events of the
 * written ones are stamped, stored and fanned out to deliveries exactly as `inTransaction` does
 * (lw_end_transaction), in the same commit, those this process's dispatcher has room for
 * claimed by it (handoff.ts). At most one change per lead: a second one of the same lead was
 * worked out from the same row.
 */
export async function writeVersionedLeadChanges(
  ctx: DomainContext,
  orgId: string,
  batch: readonly VersionedLeadChange[],
): Promise<Set<string>> {
  const now = ctx.clock.now();
  const items = JSON.stringify(
    batch.map((item) => [item.leadId, item.version, item.changes, item.events.map(eventTuple)]),
  );
  const result = await sql<{ o_applied: unknown; o_woken: string; o_claimed: unknown }>`
    select o_applied, o_woken, o_claimed from lw_change_leads(
      ${orgId}, ${items}::jsonb, ${toIso(now)}, ${DELIVERIES_CHANNEL}, ${MAX_NOTIFY_PAYLOAD},
      ${claimArgument(ctx.deliveryHandoff, now)}::jsonb
    )`.execute(ctx.db);
  const row = result.rows[0];
  const applied = new Set(appliedSchema.parse(row?.o_applied ?? []));
  if (row === undefined || applied.size === 0) return applied;
  const events = new Map(batch.flatMap((item) => item.events.map((e) => [e.id, e] as const)));
  afterCommit(ctx, false, {
    woken: new Set(wokenEndpoints(row.o_woken)),
    claimed: claimedDeliveries(row.o_claimed, orgId, events),
  });
  return applied;
}
