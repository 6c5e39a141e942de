import type { AssistantFor } from "../assistant/assistantFor.js";
import { applyCommand, understandCommand } from "../assistant/runCommand.js";
import type { DomainContext } from "../context.js";
import { inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import { leadStamp } from "../syncClock.js";
import { addTimelineEntries, addTimelineEntry } from "../timeline/timeline.js";
import type { AdditionalInfo } from "./additionalInfo.js";
import { applyAdditionalInfo } from "./applyAdditionalInfo.js";
import { loadLiveLeadRow } from "./leadView.js";

export interface AddContextInput {
  context?: string | undefined;
  additionalInfo?: AdditionalInfo | undefined;
  command?: string | undefined;
}

/**
 * Context and commands become a CUSTOM timeline entry (what the assistant will read); a command
 * is also carried out (send now, follow up at, stop follow-ups, assistant off) with a TOOL_CALL
 * entry; additionalInfo merges exactly as in PATCH, with its event.
 */
export async function addContext(
  ctx: DomainContext,
  assistantFor: AssistantFor,
  orgId: string,
  leadId: string,
  input: AddContextInput,
) {
  // Understood before the transaction (a model may take seconds); not understood is a 400 and changes nothing.
  const understood =
    input.command === undefined
      ? undefined
      : await understandCommand(ctx, assistantFor, orgId, leadId, input.command);
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
    if (understood !== undefined) {
      const settings = await loadSettings(tx, orgId);
      await addTimelineEntries(tx, ctx, [
        await applyCommand(tx, ctx.capabilities, row, understood, settings, now),
      ]);
    }
    if (input.additionalInfo === undefined) return;
    const merged = await applyAdditionalInfo(emit, row, input.additionalInfo, row.external_lead_id);
    if (merged === undefined) return;
    await tx
      .updateTable("leads")
      .set({ additional_info: merged, ...(await leadStamp(tx, orgId, leadId, now)) })
      .where("id", "=", leadId)
      .execute();
  });
}
