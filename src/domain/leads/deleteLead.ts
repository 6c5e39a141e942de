import type { DomainContext } from "../context.js";
import { inTransaction } from "../events/transaction.js";
import { leadStamp } from "../syncClock.js";
import { STOPPED } from "./followUpConfig.js";
import { loadLiveLeadRow } from "./leadView.js";

/** Soft delete: the lead stays listable (`deleted: true`) and nothing more is done for it. */
export async function deleteLead(ctx: DomainContext, orgId: string, leadId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    await tx
      .updateTable("leads")
      .set({
        ...(await leadStamp(tx, orgId, leadId, ctx.clock.now(), "deleted")),
        follow_up_step: STOPPED,
        next_follow_up_at: null,
      })
      .where("id", "=", leadId)
      .where("org_id", "=", orgId)
      .execute();
  });
}
