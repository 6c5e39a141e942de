import type { Transaction } from "kysely";
import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { DB, LeadImportRowsTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import { csvHeader } from "./importCsv.js";
import { checkImportProfile, type ImportBatch, type ImportCounts } from "./importLeads.js";
import { describePlan, fileProblem, parseCountry, planColumns } from "./importMapping.js";

/**
 * CSV imports sent to the API, as rows of `lead_imports` (the file, options, progress, lease) and
 * `lead_import_rows` (what was skipped and why). importRunner.ts works them off.
 */

export interface ImportRequest {
  profile: string;
  dryRun: boolean;
  map: readonly string[];
  defaultCountry?: string | undefined;
  csv: string;
}

/** What a runner needs to (re)start a job. */
export interface ImportOptionsStored {
  map: string[];
  defaultCountry?: string;
}

/**
 * Checks what can be checked at once (the profile, the header and the mapping, the country) and
 * queues the job. Returns its id and the column plan.
 */
export async function createImportJob(
  ctx: DomainContext,
  orgId: string,
  request: ImportRequest,
): Promise<{ id: string; columns: Record<string, string> }> {
  await checkImportProfile(ctx, orgId, request.profile);
  parseCountry(request.defaultCountry);
  const header = csvHeader(request.csv);
  if (header === undefined) throw fileProblem("The CSV is empty: its first row must name the columns.");
  const columns = describePlan(planColumns(header, request.map));
  const options: ImportOptionsStored = {
    map: [...request.map],
    ...(request.defaultCountry === undefined ? {} : { defaultCountry: request.defaultCountry }),
  };
  const at = toIso(ctx.clock.now());
  const id = newId("imp");
  await ctx.db
    .insertInto("lead_imports")
    .values({
      id,
      org_id: orgId,
      profile: request.profile,
      dry_run: request.dryRun ? 1 : 0,
      options: JSON.stringify(options),
      columns: JSON.stringify(columns),
      csv: request.csv,
      status: "queued",
      records_done: 0,
      rows_seen: 0,
      imported: 0,
      rejected: 0,
      duplicates: 0,
      blank: 0,
      error: null,
      locked_by: null,
      locked_until: null,
      created_at: at,
      updated_at: at,
      finished_at: null,
    })
    .execute();
  return { id, columns };
}

export interface ImportRowView {
  row: number;
  outcome: "rejected" | "duplicate";
  reason: string;
  /** The row's cells by column. */
  values: Record<string, string>;
}

export interface ImportJobView extends ImportCounts {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  profile: string;
  dryRun: boolean;
  /** What each column feeds: a lead field, `additionalInfo.<key>` or `skip`. */
  columns: Record<string, string>;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Skipped rows in row order, a page at a time. */
  skippedRows: ImportRowView[];
  nextToken: string | null;
}

const TOKEN_KIND = "import-rows";

function rowToken(row: number): string {
  return Buffer.from(JSON.stringify({ k: TOKEN_KIND, r: row }), "utf8").toString("base64url");
}

function afterRow(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      k?: unknown;
      r?: unknown;
    };
    if (value.k === TOKEN_KIND && typeof value.r === "number") return value.r;
  } catch {
    // any undecodable token is the caller's error
  }
  throw invalid("nextToken", "is not a token from this listing");
}

/** The org's import with its progress and a page of skipped rows; 404 for anyone else's. */
export async function getImportJob(
  ctx: DomainContext,
  orgId: string,
  id: string,
  page: { limit: number; nextToken?: string | undefined },
): Promise<ImportJobView> {
  const after = afterRow(page.nextToken);
  const job = await ctx.db
    .selectFrom("lead_imports")
    .selectAll()
    .where("id", "=", id)
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  if (!job) throw notFound("Import");
  const rows = await ctx.db
    .selectFrom("lead_import_rows")
    .select(["row", "outcome", "reason", "cells"])
    .where("import_id", "=", id)
    .where("row", ">", after)
    .orderBy("row")
    .limit(page.limit + 1)
    .execute();
  const columns = JSON.parse(job.columns) as Record<string, string>;
  const names = Object.keys(columns);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    id: job.id,
    status: job.status,
    profile: job.profile,
    dryRun: job.dry_run === 1,
    columns,
    rowsSeen: Number(job.rows_seen),
    imported: Number(job.imported),
    rejected: Number(job.rejected),
    duplicates: Number(job.duplicates),
    blank: Number(job.blank),
    error: job.error,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    finishedAt: job.finished_at,
    skippedRows: shown.map((r) => {
      const cells = JSON.parse(r.cells) as string[];
      return {
        row: Number(r.row),
        outcome: r.outcome,
        reason: r.reason,
        values: Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ""])),
      };
    }),
    nextToken: rows.length > page.limit && last ? rowToken(Number(last.row)) : null,
  };
}

export interface ClaimedImport {
  id: string;
  orgId: string;
  profile: string;
  dryRun: boolean;
  options: ImportOptionsStored;
  csv: string;
  recordsDone: number;
  counts: ImportCounts;
}

/**
 * Takes the oldest unfinished job that nobody holds (queued, or running under an expired lease:
 * its runner died) for `leaseMs`. On PostgreSQL, runners of other processes skip a row being
 * claimed; on SQLite the transaction holds the one write lock.
 */
export async function claimImportJob(
  ctx: DomainContext,
  workerId: string,
  leaseMs: number,
): Promise<ClaimedImport | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const job = await tx
      .selectFrom("lead_imports")
      .selectAll()
      .where("status", "in", ["queued", "running"])
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", toIso(now))]))
      .orderBy("created_at")
      .limit(1)
      .$if(ctx.capabilities.skipLocked, (q) => q.forUpdate().skipLocked())
      .executeTakeFirst();
    if (!job || job.csv === null) return undefined;
    await tx
      .updateTable("lead_imports")
      .set({
        status: "running",
        locked_by: workerId,
        locked_until: toIso(new Date(now.getTime() + leaseMs)),
        updated_at: toIso(now),
      })
      .where("id", "=", job.id)
      .execute();
    return {
      id: job.id,
      orgId: job.org_id,
      profile: job.profile,
      dryRun: job.dry_run === 1,
      options: JSON.parse(job.options) as ImportOptionsStored,
      csv: job.csv,
      recordsDone: Number(job.records_done),
      counts: {
        rowsSeen: Number(job.rows_seen),
        imported: Number(job.imported),
        rejected: Number(job.rejected),
        duplicates: Number(job.duplicates),
        blank: Number(job.blank),
      },
    };
  });
}

/** The runner lost its lease (it stalled past it and another runner took the job over). */
export class ImportLeaseLost extends Error {
  override readonly name = "ImportLeaseLost";
}

const ROW_COLUMNS = [
  { name: "import_id", type: "text" },
  { name: "row", type: "integer" },
  { name: "outcome", type: "text" },
  { name: "reason", type: "text" },
  { name: "cells", type: "text" },
] as const satisfies JsonColumns<keyof LeadImportRowsTable>;

/**
 * A batch's progress and skipped rows, in the batch's own transaction, and a longer lease; only
 * while the job is still this runner's (else the whole batch rolls back).
 */
export async function recordImportBatch(
  tx: Transaction<DB>,
  ctx: DomainContext,
  job: { id: string; workerId: string; leaseMs: number },
  batch: ImportBatch,
): Promise<void> {
  const now = ctx.clock.now();
  const updated = await tx
    .updateTable("lead_imports")
    .set({
      records_done: batch.recordsDone,
      rows_seen: batch.counts.rowsSeen,
      imported: batch.counts.imported,
      rejected: batch.counts.rejected,
      duplicates: batch.counts.duplicates,
      blank: batch.counts.blank,
      locked_until: toIso(new Date(now.getTime() + job.leaseMs)),
      updated_at: toIso(now),
    })
    .where("id", "=", job.id)
    .where("locked_by", "=", job.workerId)
    .where("status", "=", "running")
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new ImportLeaseLost(`import ${job.id} is no longer ours`);
  if (batch.problems.length === 0) return;
  await insertJsonRows(
    ctx,
    "lead_import_rows",
    ROW_COLUMNS,
    batch.problems.map((p) => ({
      import_id: job.id,
      row: p.row,
      outcome: p.outcome,
      reason: p.reason,
      cells: JSON.stringify(p.cells),
    })),
  ).execute(tx);
}

/**
 * Ends this runner's hold on a job: `done` or `failed` (the file is dropped then), or back to
 * the queue (`running` with no lease) when the process stops midway.
 */
export async function settleImportJob(
  ctx: DomainContext,
  job: { id: string; workerId: string },
  outcome: { status: "done" } | { status: "failed"; error: string } | { status: "released" },
): Promise<void> {
  const at = toIso(ctx.clock.now());
  const finished = outcome.status !== "released";
  await ctx.db
    .updateTable("lead_imports")
    .set({
      ...(finished ? { status: outcome.status, csv: null, finished_at: at } : {}),
      error: outcome.status === "failed" ? outcome.error : null,
      locked_by: null,
      locked_until: null,
      updated_at: at,
    })
    .where("id", "=", job.id)
    .where("locked_by", "=", job.workerId)
    .execute();
}
