import { sql, type Transaction } from "kysely";
import { inJsonList } from "../../db/bulk.js";
import type { DB } from "../../db/schema.js";
import type { DomainContext } from "../context.js";

/**
 * The org's live leads among `phones`, one index lookup per phone. On PostgreSQL the lookup is a
 * LATERAL subquery with LIMIT 1 (a phone is unique among live leads), so that it stays one probe
 * per phone whatever the planner estimates: with an `in (…)` list and stale statistics (see
 * `refreshLeadStatistics`) it became a loop over every lead of the org for each phone.
 */
export async function livePhones(
  tx: Transaction<DB>,
  ctx: DomainContext,
  orgId: string,
  phones: readonly string[],
): Promise<{ phone: string; id: string }[]> {
  if (ctx.capabilities.jsonTable === "json_each") {
    return tx
      .selectFrom("leads")
      .select(["phone", "id"])
      .where("org_id", "=", orgId)
      .where("deleted_at", "is", null)
      .where(inJsonList(ctx, "phone", phones))
      .execute();
  }
  const { rows } = await sql<{ phone: string; id: string }>`
    select l.phone, l.id from jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb) as p(phone)
    cross join lateral (
      select phone, id from leads where org_id = ${orgId} and phone = p.phone and deleted_at is null limit 1
    ) as l`.execute(tx);
  return rows;
}
