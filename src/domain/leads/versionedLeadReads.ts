import DataLoader from "dataloader";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { notFound } from "../errors.js";
import { type LeadRow, selectVersionedLeadRows } from "./leadView.js";

interface Key {
  orgId: string;
  leadId: string;
}

type Versioned = { row: LeadRow; version: string };

/** Reads one turn's leads at most per query. */
const MAX_BATCH = 100;

/**
 * PostgreSQL: the unlocked reads of concurrent PATCHes (`loadVersionedLeadRow`'s query), one
 * query per org for every read asked for in one turn of the event loop (DataLoader, scheduled
 * with setImmediate so requests parsed in the same turn share it). A read is never cached: each
 * call reads the row as it is now, which the versioned write's retry depends on. On this VM a
 * round trip to the server costs more than the read it carries (most of the server's time was
 * in `writev` on the database socket).
 */
export class VersionedLeadReads {
  private readonly loader: DataLoader<Key, Versioned | undefined>;

  constructor(db: Kysely<DB>) {
    this.loader = new DataLoader((keys) => readBatch(db, keys), {
      cache: false,
      maxBatchSize: MAX_BATCH,
      batchScheduleFn: (callback) => setImmediate(callback),
    });
  }

  /** The live lead with its row version, or a 404. */
  async load(orgId: string, leadId: string): Promise<Versioned> {
    const found = await this.loader.load({ orgId, leadId });
    if (found === undefined) throw notFound("Lead");
    return found;
  }
}

async function readBatch(db: Kysely<DB>, keys: readonly Key[]): Promise<(Versioned | undefined)[]> {
  const byOrg = new Map<string, string[]>();
  for (const key of keys) byOrg.set(key.orgId, [...(byOrg.get(key.orgId) ?? []), key.leadId]);
  const found = new Map<string, Versioned>();
  for (const [orgId, leadIds] of byOrg) {
    const rows = await selectVersionedLeadRows(db, orgId)
      .where("leads.id", "in", [...new Set(leadIds)])
      .where("leads.deleted_at", "is", null)
      .execute();
    for (const { row_version: version, ...row } of rows) found.set(`${orgId}:${row.id}`, { row, version });
  }
  return keys.map((key) => found.get(`${key.orgId}:${key.leadId}`));
}
