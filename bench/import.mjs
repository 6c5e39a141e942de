// Spreadsheet import end to end: a realistic CSV (mixed phone formats, extra columns, 1% bad
// phones, 0.5% bad emails, 0.5% phones repeated) imported by the real CLI, as a user runs it
// (`node dist/main.js import file.csv --profile … --report …`), into a fresh database whose
// profile has an initial message, so every lead also gets its first SMS queued. Each run is timed
// from spawn to exit; CPU is the CLI process's user + system time (this process's children
// counters), peak RSS its VmHWM. Then the same file again into the same database: all duplicates.
//
//   npm run build && node bench/import.mjs     # SQLite, and PostgreSQL when BENCH_DATABASE_URL
//   or TEST_DATABASE_URL is set; BENCH_IMPORT_ROWS=10000 for a quick run.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startKeyedBenchApp } from "./webhooks.mjs";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const RUNS = 3;
const KEY = "lw_bench_import_key_0123456789abcdef";
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const fmt = (n) => Math.round(n).toLocaleString("en-US");

// As spreadsheets hold them: accents, apostrophes, two-word first names, particles.
const FIRST = "María José|Liam|Chloé|Noah|Zoë|Mateo|Aoife|Kwame|Priya|Sven|Olu|Mary Ann".split("|");
const LAST = "O'Brien|van der Berg|Müller|Dubois|Adeyemi|Fernández|Nakamura|Larsen|de la Cruz|Walsh".split(
  "|",
);
const ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", ""];
const SOURCES = ["Website", "Trade show", "Referral", "Cold list", "Webinar"];
const CITIES = ["Austin", "Boston", "Denver", "Miami", "Seattle", "Chicago, IL"];

/** The i-th distinct US number in one of the formats people type. */
function phone(i) {
  const area = 201 + Math.floor(i / 9_000_000);
  const exchange = 200 + (Math.floor(i / 10_000) % 800);
  const line = String(i % 10_000).padStart(4, "0");
  switch (i % 4) {
    case 0:
      return `+1 (${area}) ${exchange}-${line}`;
    case 1:
      return `+1${area}${exchange}${line}`;
    case 2:
      return `+1 ${area} ${exchange} ${line}`;
    default:
      return `+1-${area}-${exchange}-${line}`;
  }
}

const quote = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** Writes the CSV; returns how many rows are bad and repeated, by construction. */
export async function writeCsv(file, rows) {
  const out = createWriteStream(file);
  out.write("First Name,Last Name,Phone Number,E-mail,Timezone,External ID,Company,City,Lead Source,Notes\n");
  let bad = 0;
  let repeated = 0;
  for (let i = 0; i < rows; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    let tel = phone(i);
    let email = `${first}.${last}${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, "");
    if (i % 100 === 37) {
      tel = "555-0100"; // no country code: the API refuses it
      bad++;
    } else if (i % 200 === 71) {
      email = `${first}.${last}${i}@`; // not an email
      bad++;
    } else if (i % 200 === 113 && i > 0) {
      tel = phone(i - 1); // the row before's phone
      repeated++;
    }
    const cells = [
      first,
      last,
      tel,
      email,
      ZONES[i % ZONES.length],
      `crm-${i}`,
      `Company ${i % 997}`,
      CITIES[i % CITIES.length],
      SOURCES[i % SOURCES.length],
      i % 10 === 0 ? `Asked about "pricing", call back\nafter 5pm` : "",
    ];
    if (!out.write(`${cells.map(quote).join(",")}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { bad, repeated };
}

/** Children's CPU (user + system) of this process so far, in µs (Linux /proc, clock ticks). */
function childrenCpuUs() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of stat (cutime, cstime) are at 13 and 14 after the command name.
  return (Number(fields[13]) + Number(fields[14])) * 10_000;
}

function runCli(env, args) {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuUs();
    const started = performance.now();
    const child = spawn(process.execPath, [MAIN, "import", ...args], {
      env: { ...process.env, ...env, LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // exited
      }
    }, 100);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`import exited ${code}: ${stderr}`));
      else
        resolve({ seconds, cpuUs: childrenCpuUs() - cpuBefore, peakMb: Math.round(peakKb / 1024), stdout });
    });
  });
}

/** A fresh database with the bootstrap key's org and a profile that texts an initial message. */
async function prepare(kind) {
  const { database, app } = await startKeyedBenchApp(kind, KEY);
  const res = await app.http.inject({
    method: "POST",
    url: "/v1/profiles",
    headers: { "x-api-key": KEY },
    payload: {
      name: "Spreadsheet",
      initialMessage: "Hi {{firstName}}, thanks for your interest! Reply STOP to opt out.",
      followUpConfig: { 1: { hours: 24, channel: "text" } },
      followUpTemplates: { 1: { text: "Hi {{firstName}}, still interested?" } },
    },
  });
  if (res.statusCode !== 201 && res.statusCode !== 200)
    throw new Error(`profile: ${res.statusCode} ${res.body}`);
  return { database, app };
}

async function countRows(app) {
  const db = app.database.db;
  const leads = await db
    .selectFrom("leads")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  const messages = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("status", "=", "queued")
    .executeTakeFirstOrThrow();
  return { leads: Number(leads.n), queued: Number(messages.n) };
}

const parseCount = (stdout, label) =>
  Number((new RegExp(`([\\d,]+) ${label}`).exec(stdout)?.[1] ?? "NaN").replaceAll(",", ""));

/** RUNS imports of a fresh CSV of `rows` into fresh databases, then one re-import. */
export async function importRuns(kind, rows = ROWS) {
  const csv = join(tmpdir(), `leadwire-bench-import-${process.pid}.csv`);
  const report = `${csv}.report.csv`;
  const { bad, repeated } = await writeCsv(csv, rows);
  const expected = rows - bad - repeated;
  const results = [];
  let last;
  for (let run = 1; run <= RUNS + 1; run++) {
    const again = run > RUNS;
    if (!again) {
      if (last) {
        await last.app.close();
        await last.database.drop();
      }
      last = await prepare(kind);
    }
    const r = await runCli(last.database.env, [
      csv,
      "--profile",
      "Spreadsheet",
      "--org-key",
      KEY,
      "--report",
      report,
    ]);
    const counts = await countRows(last.app);
    const imported = parseCount(r.stdout, "imported");
    if (counts.leads !== expected || counts.queued !== expected || (!again && imported !== expected))
      throw new Error(
        `run ${run}: ${counts.leads} leads, ${counts.queued} queued messages, expected ${expected}\n${r.stdout}`,
      );
    results.push({
      run: again ? "same file again (all duplicates)" : String(run),
      ...r,
      imported,
      rejected: parseCount(r.stdout, "rejected"),
      duplicates: parseCount(r.stdout, "duplicates"),
    });
  }
  await last.app.close();
  await last.database.drop();
  rmSync(csv, { force: true });
  rmSync(report, { force: true });
  return results;
}

export const IMPORT_HEADING = `### Spreadsheet import: ${fmt(ROWS)} rows through the CLI, ${RUNS} runs and a re-import (target: under a minute on SQLite)`;

export const IMPORT_TABLE_HEAD = [
  "| backend | run | rows | imported | duplicates | rejected | wall time | rows/s | CPU per row | peak RSS |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
];

export function printImport(out, kind, results, rows = ROWS) {
  for (const r of results) {
    out(
      `| ${kind} | ${r.run} | ${fmt(rows)} | ${fmt(r.imported)} | ${fmt(r.duplicates)} | ${fmt(r.rejected)} | ${r.seconds.toFixed(1)} s | ${fmt(rows / r.seconds)} | ${(r.cpuUs / rows).toFixed(0)} µs | ${r.peakMb} MB |`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const out = (line) => process.stdout.write(`${line}\n`);
  out(IMPORT_HEADING);
  out("");
  for (const line of IMPORT_TABLE_HEAD) out(line);
  for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"])
    printImport(out, kind, await importRuns(kind));
  process.exit(0);
}
