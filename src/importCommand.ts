import { once } from "node:events";
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  statSync,
  type WriteStream,
} from "node:fs";
import cliProgress from "cli-progress";
import { systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import type { DomainContext } from "./domain/context.js";
import { DomainError } from "./domain/errors.js";
import { csvLine, csvRecords } from "./domain/leads/importCsv.js";
import { type ImportBatch, type ImportCounts, importLeads } from "./domain/leads/importLeads.js";
import { describePlan, parseCountry } from "./domain/leads/importMapping.js";
import { authenticate } from "./domain/orgs/apiKeys.js";
import { outboundUrlCheck } from "./providers/http/addressPolicy.js";
import { createSecretBox } from "./secretBox.js";

export interface ImportCommandOptions {
  profile: string;
  map: string[];
  dryRun?: boolean;
  report?: string;
  orgKey?: string;
  defaultCountry?: string;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The first 64 KiB of the file, to tell its delimiter. */
function sampleOf(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(65_536);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

async function orgOf(ctx: DomainContext, orgKey: string | undefined): Promise<string> {
  if (orgKey !== undefined) {
    const caller = await authenticate(ctx, orgKey);
    if (caller === undefined) throw new DomainError("UNAUTHORIZED", "--org-key is not a valid API key.");
    return caller.orgId;
  }
  const org = await ctx.db.selectFrom("orgs").select("id").where("name", "=", "default").executeTakeFirst();
  if (org === undefined) throw new DomainError("NOT_FOUND", "There is no org named default: pass --org-key.");
  return org.id;
}

function summary(counts: ImportCounts, dryRun: boolean, seconds: number): string {
  const created = dryRun ? "would be imported" : "imported";
  return [
    `${dryRun ? "dry run, nothing written: " : ""}${fmt(counts.rowsSeen)} rows in ${seconds.toFixed(1)} s (${fmt(counts.rowsSeen / Math.max(seconds, 0.001))} rows/s)`,
    `  ${fmt(counts.imported)} ${created}`,
    `  ${fmt(counts.duplicates)} duplicates skipped (phone already in the file or among the org's leads)`,
    `  ${fmt(counts.rejected)} rejected`,
    ...(counts.blank > 0 ? [`  ${fmt(counts.blank)} blank rows skipped`] : []),
  ].join("\n");
}

/**
 * `leadwire import <file.csv>`: reads the file as a stream, imports it into the org (its key's,
 * or `default`) through the same path as the API, shows a progress bar on a terminal and writes
 * the skipped rows to `--report`. Returns the exit code: 0 done, 2 refused (file, options, org).
 */
export async function importCommand(
  config: Config,
  file: string,
  options: ImportCommandOptions,
  out: Output,
  err: Output,
): Promise<number> {
  const database = openDatabase(config.database);
  let report: WriteStream | undefined;
  let bar: cliProgress.SingleBar | undefined;
  try {
    await migrate(database);
    const noop = () => {};
    // Wake-ups are per process; the server's workers hear of queued messages by polling or NOTIFY.
    const ctx: DomainContext = {
      db: database.db,
      clock: systemClock,
      capabilities: database.capabilities,
      wakeDispatcher: noop,
      wakeMessageSender: noop,
      wakeAssistant: noop,
      secrets: createSecretBox(config.secretsKey),
      outboundUrlProblem: outboundUrlCheck({ allowPrivateTargets: config.webhookAllowPrivateTargets }),
    };
    const orgId = await orgOf(ctx, options.orgKey);
    const size = statSync(file).size;
    const source = csvRecords(createReadStream(file), sampleOf(file));
    const dryRun = options.dryRun === true;
    const started = performance.now();
    const result = await importLeads(ctx, source.records, {
      orgId,
      profile: options.profile,
      dryRun,
      map: options.map,
      defaultCountry: parseCountry(options.defaultCountry),
      onPlan: (plan) => {
        const lines = Object.entries(describePlan(plan)).map(([column, target]) => `  ${column} → ${target}`);
        out.write(`columns:\n${lines.join("\n")}\n`);
        if (options.report !== undefined) {
          report = createWriteStream(options.report);
          report.write(csvLine(["row", "outcome", "reason", ...plan.columns]));
        }
        if (out.isTTY === true) {
          bar = new cliProgress.SingleBar(
            {
              stream: out as NodeJS.WriteStream,
              format:
                "{bar} {percentage}% | {rows} rows: {imported} imported, {duplicates} duplicates, {rejected} rejected | ETA {eta_formatted}",
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(size, 0, { rows: 0, imported: 0, duplicates: 0, rejected: 0 });
        }
      },
      afterBatch: async (batch: ImportBatch) => {
        for (const p of batch.problems) {
          if (report !== undefined && !report.write(csvLine([p.row, p.outcome, p.reason, ...p.cells])))
            await once(report, "drain");
        }
        bar?.update(source.bytesParsed(), {
          rows: fmt(batch.counts.rowsSeen),
          imported: fmt(batch.counts.imported),
          duplicates: fmt(batch.counts.duplicates),
          rejected: fmt(batch.counts.rejected),
        });
      },
    });
    if (bar !== undefined) {
      bar.update(size);
      bar.stop();
    }
    out.write(`${summary(result.counts, dryRun, (performance.now() - started) / 1000)}\n`);
    if (options.report !== undefined) out.write(`skipped rows with reasons: ${options.report}\n`);
    return 0;
  } catch (error) {
    bar?.stop();
    if (!(error instanceof DomainError)) throw error;
    const details = error.details
      .filter((d) => !error.message.includes(d.message))
      .map((d) => `  ${d.path}: ${d.message}`);
    err.write(`${[error.message, ...details].join("\n")}\n`);
    return 2;
  } finally {
    if (report !== undefined) {
      const written = report;
      written.end();
      await once(written, "finish");
    }
    await database.close();
  }
}
