interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

interface OrgQueue<I, O> {
  waiting: Waiting<I, O>[];
  /** A batch of the org is being written: what arrives meanwhile goes in the next one. */
  writing: boolean;
  scheduled: boolean;
}

export interface OrgBatchWriter<I, O> {
  /** Writes a batch of one org in one commit; one result per item, in order. */
  write(orgId: string, items: I[]): Promise<O[]>;
  /** Writes one item on its own: what each item of a batch that failed as a whole gets. */
  writeAlone(orgId: string, item: I): Promise<O>;
}

/**
 * PostgreSQL group commit per org. An org's commits are serialised by its sync clock from the
 * tick to the WAL flush, so one write per commit capped a busy org at one write per flush. Here
 * one batch of an org is in flight per process at a time; what arrives meanwhile is written
 * together in the next one, each caller answered after that commit. An item that arrives with
 * nothing in flight waits only for the rest of the event loop's turn (setImmediate), not for a
 * timer.
 *
 * A batch that fails as a whole (say, a value the database refuses, or a row another process
 * wrote meanwhile) is written again one item at a time, so that only the item at fault fails.
 */
export class OrgBatches<I, O> {
  private readonly orgs = new Map<string, OrgQueue<I, O>>();

  constructor(
    private readonly maxBatch: number,
    private readonly writer: OrgBatchWriter<I, O>,
  ) {}

  add(orgId: string, item: I): Promise<O> {
    let org = this.orgs.get(orgId);
    if (org === undefined) {
      org = { waiting: [], writing: false, scheduled: false };
      this.orgs.set(orgId, org);
    }
    const queue = org;
    return new Promise((resolve, reject) => {
      queue.waiting.push({ item, resolve, reject });
      this.schedule(orgId, queue);
    });
  }

  private schedule(orgId: string, org: OrgQueue<I, O>): void {
    if (org.writing || org.scheduled) return;
    org.scheduled = true;
    setImmediate(() => {
      org.scheduled = false;
      void this.drain(orgId, org);
    });
  }

  private async drain(orgId: string, org: OrgQueue<I, O>): Promise<void> {
    if (org.writing) return;
    org.writing = true;
    try {
      while (org.waiting.length > 0) await this.writeBatch(orgId, org.waiting.splice(0, this.maxBatch));
    } finally {
      org.writing = false;
      if (org.waiting.length === 0) this.orgs.delete(orgId);
      else this.schedule(orgId, org);
    }
  }

  private async writeBatch(orgId: string, batch: Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.writer.write(
        orgId,
        batch.map((w) => w.item),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const w of batch) {
        try {
          w.resolve(await this.writer.writeAlone(orgId, w.item));
        } catch (alone) {
          w.reject(alone);
        }
      }
      return;
    }
    batch.forEach((w, i) => {
      if (i < results.length) w.resolve(results[i] as O);
      else w.reject(new Error("batch write returned too few results"));
    });
  }
}
