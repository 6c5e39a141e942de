import type { DomainContext } from "../context.js";
import { inTransaction } from "../events/transaction.js";
import { leadChangeStamp, syncStamp } from "../syncClock.js";
import { addTimelineEntry } from "../timeline/timeline.js";
import type { AdditionalInfo } from "./additionalInfo.js";
import { applyAdditionalInfo } from "./applyAdditionalInfo.js";
import { loadLiveLeadRow } from "./leadView.js";

export interface AddContextInput {
  context?: string | undefined;
  additionalInfo?: AdditionalInfo | undefined;
  command?: string | undefined;
}

/**
 * Context and commands become a CUSTOM timeline entry (what the assistant will read);
 * additionalInfo merges exactly as in PATCH, with its event.
 */
export async function addContext(ctx: DomainContext, orgId: string, leadId: string, input: AddContextInput) {
  await inTransaction(ctx, async (tx, emit) => {
    const row = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    const now = ctx.clock.now();
    if (input.context !== undefined || input.command !== undefined) {
      await addTimelineEntry(tx, {
        orgId,
        leadId,
        type: "CUSTOM",
        at: now,
        data: {
          ...(input.context === undefined ? {} : { context: input.context }),
          ...(input.command === undefined ? {} : { command: input.command }),
        },
      });
    }
    if (input.additionalInfo === undefined) return;
    const merged = await applyAdditionalInfo(emit, row, input.additionalInfo, row.external_lead_id);
    if (merged === undefined) return;
    await tx
      .updateTable("leads")
      .set({ additional_info: merged, ...leadChangeStamp(await syncStamp(tx, orgId, now)) })
      .where("id", "=", leadId)
      .execute();
  });
}
