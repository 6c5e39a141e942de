import type { DomainContext } from "../context.js";
import { inTransaction } from "../events/transaction.js";
import { leadChangeStamp, syncStamp } from "../syncClock.js";
import { STOPPED } from "./followUpConfig.js";
import { loadLiveLeadRow } from "./leadView.js";

/** Soft delete: the lead stays listable (`deleted: true`) and nothing more is done for it. */
export async function deleteLead(ctx: DomainContext, orgId: string, leadId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    const stamp = await syncStamp(tx, orgId, ctx.clock.now());
    await tx
      .updateTable("leads")
      .set({
        deleted_at: stamp.at,
        ...leadChangeStamp(stamp),
        follow_up_step: STOPPED,
        next_follow_up_at: null,
      })
      .where("id", "=", leadId)
      .where("org_id", "=", orgId)
      .execute();
  });
}
