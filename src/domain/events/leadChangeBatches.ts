import type { DomainContext } from "../context.js";
import { type VersionedLeadChange, writeVersionedLeadChanges } from "./changeLeadPg.js";
import { OrgBatches } from "./orgBatches.js";

/**
 * PostgreSQL group commit of versioned lead changes (PATCH), per org (orgBatches.ts): the changes
 * of a batch are one `lw_change_leads` statement, one tick of the org's clock and one WAL flush.
 */
export class LeadChangeBatches {
  private readonly batches: OrgBatches<VersionedLeadChange, boolean>;

  constructor(ctx: DomainContext, maxBatch: number) {
    this.batches = new OrgBatches(maxBatch, {
      async write(orgId, changes) {
        // A second change of a lead was worked out from the same row as the first: it is read
        // again once the first is in (answered false), so it cannot overwrite it.
        const leads = new Set<string>();
        const distinct = new Set<VersionedLeadChange>();
        for (const change of changes) {
          if (leads.has(change.leadId)) continue;
          leads.add(change.leadId);
          distinct.add(change);
        }
        const written = await writeVersionedLeadChanges(ctx, orgId, [...distinct]);
        return changes.map((change) => distinct.has(change) && written.has(change.leadId));
      },
      async writeAlone(orgId, change) {
        return (await writeVersionedLeadChanges(ctx, orgId, [change])).has(change.leadId);
      },
    });
  }

  /** Resolves true once the change is committed, false if its lead moved on (read it again). */
  write(orgId: string, change: VersionedLeadChange): Promise<boolean> {
    return this.batches.add(orgId, change);
  }
}
