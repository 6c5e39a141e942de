import type { DomainContext } from "../context.js";
import { type VersionedLeadChange, writeVersionedLeadChanges } from "./changeLeadPg.js";

interface Waiting {
  change: VersionedLeadChange;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

interface OrgQueue {
  waiting: Waiting[];
  /** A batch of the org is being written: what arrives meanwhile goes in the next one. */
  writing: boolean;
  scheduled: boolean;
}

/**
 * PostgreSQL group commit of versioned lead changes (PATCH), per org. An org's commits are
 * serialised by its sync clock from the tick to the WAL flush, so one change per commit capped a
 * busy org at one change per flush. Here one statement of an org is in flight per process at a
 * time; the changes that arrive meanwhile are written together in the next one
 * (lw_change_leads), each caller answered after that commit. A change that arrives with nothing
 * in flight waits only for the rest of the event loop's turn (setImmediate), not for a timer.
 *
 * A batch that fails as a whole (say, a value the database refuses) is written again one change
 * at a time, so that only the change at fault fails.
 */
export class LeadChangeBatches {
  private readonly orgs = new Map<string, OrgQueue>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly maxBatch: number,
  ) {}

  /** Resolves true once the change is committed, false if its lead moved on (read it again). */
  write(orgId: string, change: VersionedLeadChange): Promise<boolean> {
    let org = this.orgs.get(orgId);
    if (org === undefined) {
      org = { waiting: [], writing: false, scheduled: false };
      this.orgs.set(orgId, org);
    }
    const queue = org;
    return new Promise((resolve, reject) => {
      queue.waiting.push({ change, resolve, reject });
      this.schedule(orgId, queue);
    });
  }

  private schedule(orgId: string, org: OrgQueue): void {
    if (org.writing || org.scheduled) return;
    org.scheduled = true;
    setImmediate(() => {
      org.scheduled = false;
      void this.drain(orgId, org);
    });
  }

  private async drain(orgId: string, org: OrgQueue): Promise<void> {
    if (org.writing) return;
    org.writing = true;
    try {
      while (org.waiting.length > 0) {
        const taken = org.waiting.splice(0, this.maxBatch);
        // A second change of a lead was worked out from the same row as the first: it is read
        // again once the first is in, so it cannot overwrite it.
        const leads = new Set<string>();
        const batch: Waiting[] = [];
        for (const w of taken) {
          if (leads.has(w.change.leadId)) w.resolve(false);
          else {
            leads.add(w.change.leadId);
            batch.push(w);
          }
        }
        await this.writeBatch(orgId, batch);
      }
    } finally {
      org.writing = false;
      if (org.waiting.length === 0) this.orgs.delete(orgId);
      else this.schedule(orgId, org);
    }
  }

  private async writeBatch(orgId: string, batch: Waiting[]): Promise<void> {
    try {
      const written = await writeVersionedLeadChanges(
        this.ctx,
        orgId,
        batch.map((w) => w.change),
      );
      for (const w of batch) w.resolve(written.has(w.change.leadId));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const w of batch) await this.writeBatch(orgId, [w]);
    }
  }
}
