import { sql, type Transaction } from "kysely";
import type { CountryCode } from "libphonenumber-js/max";
import { isUniqueViolation } from "../../db/errors.js";
import type { DB } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { insertLeads, leadPlacesLeft, newLeadProfile } from "./createLead.js";
import { type ColumnPlan, fileProblem, planColumns, rowToLeadBody } from "./importMapping.js";
import { type CreateLeadInput, createLeadSchema } from "./leadInput.js";
import { livePhones } from "./livePhones.js";

/**
 * Imports a CSV's rows as leads, exactly as `POST /v1/leads/create` would create them: each row
 * becomes that route's body (importMapping.ts) and is judged by its schema, and accepted rows go
 * through `insertLeads`, the create path's own writer (opt-outs inherited, initial outreach).
 * Rows are written 500 to a transaction (the profile held, the lead limit counted, phones checked
 * against the org's live leads, all inside it), so whatever a batch causes commits with it.
 */

export interface ImportCounts {
  /** Data rows read (the header excluded). */
  rowsSeen: number;
  /** Leads created (in a dry run: that would be created). */
  imported: number;
  /** Rows the lead schema refused, or past the org's lead limit. */
  rejected: number;
  /** Rows whose phone an earlier row of the file or a live lead of the org already has: skipped. */
  duplicates: number;
  /** Rows with no value at all: skipped silently. */
  blank: number;
}

export const NO_COUNTS: ImportCounts = { rowsSeen: 0, imported: 0, rejected: 0, duplicates: 0, blank: 0 };

export interface ImportProblem {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  outcome: "rejected" | "duplicate";
  reason: string;
  cells: readonly string[];
}

export interface ImportBatch {
  /** Data rows read so far, this batch included: where a resumed import goes on. */
  recordsDone: number;
  /** Totals so far, this batch included. */
  counts: ImportCounts;
  /** This batch's skipped rows, in row order. */
  problems: ImportProblem[];
}

export interface ImportOptions {
  orgId: string;
  /** The customer profile every lead gets. */
  profile: string;
  dryRun: boolean;
  /** `column=target` overrides of the automatic mapping. */
  map?: readonly string[] | undefined;
  defaultCountry?: CountryCode | undefined;
  batchSize?: number;
  /** Where an earlier run of the same import stopped: its rows are read again but not counted or written. */
  resume?: { recordsDone: number; counts: ImportCounts } | undefined;
  /** Told the column plan once the header is read, before any row. */
  onPlan?: (plan: ColumnPlan) => void | Promise<void>;
  /** Runs inside each batch's transaction after its leads (a job records its progress there). */
  inBatch?: (tx: Transaction<DB>, batch: ImportBatch) => Promise<void>;
  /** Runs after each batch commits. */
  afterBatch?: (batch: ImportBatch) => void | Promise<void>;
  /** Asked after each batch: true stops the import there (`stopped`; it can be resumed). */
  shouldStop?: () => boolean;
}

export interface ImportResult {
  plan: ColumnPlan;
  counts: ImportCounts;
  recordsDone: number;
  stopped: boolean;
}

const BATCH_ROWS = 500;

/** Refuses an unknown profile before a single row is read (the API: a 400 naming `profile`). */
export async function checkImportProfile(ctx: DomainContext, orgId: string, profile: string): Promise<void> {
  const found = await ctx.db
    .selectFrom("profiles")
    .select("id")
    .where("org_id", "=", orgId)
    .where("name", "=", profile)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!found) throw invalid("profile", `no profile named "${profile}"`);
}

type Judged =
  | { kind: "blank" }
  | { kind: "problem"; reason: string }
  | { kind: "lead"; input: CreateLeadInput };

/** One row through the create route's schema; its issues become the row's reason. */
function judgeRow(plan: ColumnPlan, cells: readonly string[], options: ImportOptions): Judged {
  if (cells.every((c) => c.trim() === "")) return { kind: "blank" };
  const mapped = rowToLeadBody(plan, cells, {
    customerProfile: options.profile,
    defaultCountry: options.defaultCountry,
  });
  if ("problem" in mapped) return { kind: "problem", reason: mapped.problem };
  const parsed = createLeadSchema.safeParse(mapped.body);
  if (parsed.success) return { kind: "lead", input: parsed.data };
  const reason = parsed.error.issues
    .map((issue) => `${issue.path.map(String).join(".") || "row"}: ${issue.message}`)
    .join("; ");
  return { kind: "problem", reason };
}

interface PendingLead {
  row: number;
  cells: readonly string[];
  input: CreateLeadInput;
}

/** One batch as read: rows judged before any transaction, the rest decided inside it. */
interface Batch {
  leads: PendingLead[];
  problems: ImportProblem[];
  delta: ImportCounts;
}

const emptyBatch = (): Batch => ({ leads: [], problems: [], delta: { ...NO_COUNTS } });

function add(a: ImportCounts, b: ImportCounts): ImportCounts {
  return {
    rowsSeen: a.rowsSeen + b.rowsSeen,
    imported: a.imported + b.imported,
    rejected: a.rejected + b.rejected,
    duplicates: a.duplicates + b.duplicates,
    blank: a.blank + b.blank,
  };
}

export async function importLeads(
  ctx: DomainContext,
  records: AsyncIterable<string[]>,
  options: ImportOptions,
): Promise<ImportResult> {
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) throw fileProblem("The CSV is empty: its first row must name the columns.");
  const plan = planColumns(first.value, options.map);
  await checkImportProfile(ctx, options.orgId, options.profile);
  await options.onPlan?.(plan);
  const size = options.batchSize ?? BATCH_ROWS;
  const skip = options.resume?.recordsDone ?? 0;
  const firstRowOf = new Map<string, number>();
  let counts = options.resume?.counts ?? { ...NO_COUNTS };
  let recordsDone = 0;
  let batch = emptyBatch();
  let analysedAt = counts.imported;
  const flush = async () => {
    counts = await writeBatch(ctx, options, batch, counts, recordsDone);
    batch = emptyBatch();
    if (!options.dryRun && counts.imported >= analysedAt + (analysedAt === 0 ? 1 : ANALYZE_EVERY)) {
      await refreshLeadStatistics(ctx);
      analysedAt = counts.imported;
    }
  };
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    const cells = next.value;
    recordsDone++;
    const row = recordsDone + 1;
    const judged = judgeRow(plan, cells, options);
    if (recordsDone <= skip) {
      // Done by the earlier run; its phones still make later rows of the file duplicates.
      if (judged.kind === "lead" && !firstRowOf.has(judged.input.phone))
        firstRowOf.set(judged.input.phone, row);
      continue;
    }
    batch.delta.rowsSeen++;
    if (judged.kind === "blank") batch.delta.blank++;
    else if (judged.kind === "problem") {
      batch.delta.rejected++;
      batch.problems.push({ row, outcome: "rejected", reason: judged.reason, cells });
    } else {
      const earlier = firstRowOf.get(judged.input.phone);
      if (earlier === undefined) {
        firstRowOf.set(judged.input.phone, row);
        batch.leads.push({ row, cells, input: judged.input });
      } else {
        batch.delta.duplicates++;
        batch.problems.push({ row, outcome: "duplicate", reason: `same phone as row ${earlier}`, cells });
      }
    }
    if (batch.delta.rowsSeen >= size) {
      await flush();
      if (options.shouldStop?.() === true) return { plan, counts, recordsDone, stopped: true };
    }
  }
  if (batch.delta.rowsSeen > 0) await flush();
  return { plan, counts, recordsDone, stopped: false };
}

/** Leads written between two refreshes of PostgreSQL's statistics of the table. */
const ANALYZE_EVERY = 20_000;

/**
 * PostgreSQL plans by the table's statistics, which autovacuum refreshes only now and then (and not
 * at all where it is off). Until then an org that is getting thousands of leads still counts as
 * having none, and lookups by phone went through the wrong index, scanning the org's every lead
 * (15 ms a phone at 90,000 leads). So the import refreshes them itself after its first batch and
 * every 20,000 leads, outside any transaction, as bulk loads should (ANALYZE samples the table and
 * blocks no reads or writes; a role that does not own the table gets a warning, not an error).
 * SQLite's planner needs no statistics here.
 */
async function refreshLeadStatistics(ctx: DomainContext): Promise<void> {
  if (ctx.capabilities.jsonTable === "jsonb") await sql`analyze leads`.execute(ctx.db);
}

/**
 * One batch in one transaction: phones already live in the org are duplicates, rows past the
 * lead limit are rejected, the rest are created (unless dry run). On PostgreSQL a lead created
 * meanwhile by someone else with one of the phones fails the insert; the batch is then run again
 * and finds it. Returns the new totals.
 */
async function writeBatch(
  ctx: DomainContext,
  options: ImportOptions,
  batch: Batch,
  counts: ImportCounts,
  recordsDone: number,
): Promise<ImportCounts> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { done, outreach } = await inTransaction(ctx, async (tx) => {
        const delta = { ...batch.delta };
        const problems = [...batch.problems];
        const skipped = (lead: PendingLead, outcome: ImportProblem["outcome"], reason: string) => {
          delta[outcome === "duplicate" ? "duplicates" : "rejected"]++;
          problems.push({ row: lead.row, outcome, reason, cells: lead.cells });
        };
        const profile = await newLeadProfile(tx, ctx, options.orgId, options.profile);
        const fresh = await withoutLivePhones(tx, ctx, options.orgId, batch.leads, skipped);
        const places = fresh.length === 0 ? undefined : await leadPlacesLeft(tx, ctx, options.orgId);
        // A dry run writes nothing, so the places its earlier batches would have taken are counted here.
        const room =
          places === undefined ? fresh.length : places.left - (options.dryRun ? counts.imported : 0);
        const accepted = fresh.slice(0, Math.max(0, room));
        for (const lead of fresh.slice(accepted.length))
          skipped(lead, "rejected", `the organisation's limit of ${places?.limit} leads is reached`);
        const written =
          options.dryRun || accepted.length === 0
            ? { outreach: false }
            : await insertLeads(
                tx,
                ctx,
                options.orgId,
                profile,
                accepted.map((l) => l.input),
              );
        delta.imported += accepted.length;
        problems.sort((a, b) => a.row - b.row);
        const done: ImportBatch = { recordsDone, counts: add(counts, delta), problems };
        await options.inBatch?.(tx, done);
        return { done, outreach: written.outreach };
      });
      if (outreach) ctx.wakeMessageSender();
      await options.afterBatch?.(done);
      return done.counts;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/** The batch's leads whose phone no live lead of the org has; the others are reported as duplicates. */
async function withoutLivePhones(
  tx: Transaction<DB>,
  ctx: DomainContext,
  orgId: string,
  leads: readonly PendingLead[],
  skipped: (lead: PendingLead, outcome: "duplicate", reason: string) => void,
): Promise<PendingLead[]> {
  if (leads.length === 0) return [];
  const live = await livePhones(
    tx,
    ctx,
    orgId,
    leads.map((l) => l.input.phone),
  );
  const idByPhone = new Map(live.map((l) => [l.phone, l.id]));
  return leads.filter((lead) => {
    const id = idByPhone.get(lead.input.phone);
    if (id !== undefined) skipped(lead, "duplicate", `a lead with this phone already exists (${id})`);
    return id === undefined;
  });
}
