import { additionalInfoUpdatedData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { leadAdditionalInfo } from "../jsonColumns.js";
import { type AdditionalInfo, mergeAdditionalInfo } from "./additionalInfo.js";
import type { LeadRow } from "./leadView.js";

/**
 * Merges a patch into the lead's additionalInfo and, when a key really changed, emits
 * `lead.additionalInfo.updated` in the caller's transaction. Returns the new JSON to store,
 * or undefined when nothing changed.
 */
export async function applyAdditionalInfo(
  emit: Emit,
  row: Pick<LeadRow, "id" | "org_id" | "phone" | "additional_info">,
  patch: AdditionalInfo,
  externalLeadId: string | null,
): Promise<string | undefined> {
  const current = leadAdditionalInfo.read(row.additional_info, row.id);
  const { merged, changes } = mergeAdditionalInfo(current, patch);
  if (Object.keys(changes).length === 0) return undefined;
  await emit({
    orgId: row.org_id,
    leadId: row.id,
    type: "lead.additionalInfo.updated",
    data: additionalInfoUpdatedData({ lead: { leadId: row.id, phone: row.phone, externalLeadId }, changes }),
  });
  return JSON.stringify(merged);
}
