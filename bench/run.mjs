// npm run bench: every benchmark, printed as the Markdown that goes into BENCHMARKS.md.

import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { apiDrivenOptions, apiDrivenSection } from "./apiDriven.mjs";
import { assistantBurst } from "./assistant.mjs";
import { followUpThroughput } from "./followups.mjs";
import { IMPORT_HEADING, IMPORT_TABLE_HEAD, importRuns, printImport } from "./import.mjs";
import { printStats, STATS_HEADING, STATS_TABLE_HEAD, statsTimings } from "./stats.mjs";
import { idleLatency, leadwireThroughput, rawCeiling, sampleBody, startReceiver } from "./webhooks.mjs";

const TOTAL = Number(process.env.BENCH_DELIVERIES ?? 20_000);
const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const fmt = (n) => Math.round(n).toLocaleString("en-US");

const lines = [];
const out = (line) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

out(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 1073741824)} GiB, Node ${process.version}`,
);
out(`Date: ${new Date().toISOString()}`);
out("");
// BENCH_ONLY=api: only the API-driven comparison with the BullMQ peer (bench/apiDriven.mjs).
const apiKinds = postgres ? ["sqlite", "postgres"] : ["sqlite"];
if (process.env.BENCH_ONLY === "api") {
  await apiDrivenSection(out, { kinds: apiKinds, ...apiDrivenOptions({ defaultRuns: 3 }) });
  if (!postgres) out("\n(PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL.)");
  process.exit(0);
}
out(
  `### Webhook deliveries per second (${fmt(TOTAL)} committed events, one local receiver in its own process, 50 in flight)`,
);
out("");
out("| run | deliveries/s | ratio to raw | sender CPU per delivery | peak RSS |");
out("|---|---:|---:|---:|---:|");
const receiver = await startReceiver();
// Warm the receiver and the JIT once, then measure.
await rawCeiling(receiver.url, 2000, sampleBody);
const { perSecond: raw, cpuUsPerRequest } = await rawCeiling(receiver.url, TOTAL, sampleBody);
out(`| raw undici loop, same signed body | ${fmt(raw)} | 100% | ${cpuUsPerRequest.toFixed(0)} µs | |`);
for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"]) {
  const { perSecond, cpuUsPerDelivery, peakRssMb } = await leadwireThroughput(kind, receiver, TOTAL);
  out(
    `| Leadwire on ${kind} (1 process) | ${fmt(perSecond)} | ${Math.round((perSecond / raw) * 100)}% | ${cpuUsPerDelivery.toFixed(0)} µs | ${peakRssMb} MB |`,
  );
}
await receiver.stop();
if (!postgres) out("\n(PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL.)");

out("");
out("### Commit → receiver latency at idle (one event at a time)");
out("");
out("| backend | samples | p50 | p99 | max |");
out("|---|---:|---:|---:|---:|");
for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"]) {
  const l = await idleLatency(kind, 300);
  out(
    `| ${kind} | ${l.samples} | ${l.p50.toFixed(1)} ms | ${l.p99.toFixed(1)} ms | ${l.max.toFixed(1)} ms |`,
  );
}

out("");
await apiDrivenSection(out, { kinds: apiKinds, ...apiDrivenOptions({ defaultRuns: 3 }) });

const FOLLOWUPS = Number(process.env.BENCH_FOLLOWUPS ?? 100_000);
out("");
out(
  `### Follow-ups end to end (${fmt(FOLLOWUPS)} leads due at once, dev sink, message.sent to a local receiver, worker processes started as the README says)`,
);
out("");
out("| backend | worker processes | follow-ups/s | total time | peak RSS of a worker |");
out("|---|---:|---:|---:|---:|");
const fuReceiver = await startReceiver({ COUNT_DISTINCT: "1" });
const runs = [
  ["sqlite", 1],
  ...(postgres
    ? [
        ["postgres", 1],
        ["postgres", 2],
      ]
    : []),
];
for (const [kind, workers] of runs) {
  const r = await followUpThroughput(kind, fuReceiver, FOLLOWUPS, workers);
  if (r.sent !== FOLLOWUPS) throw new Error(`${kind}: ${r.sent} messages sent, expected ${FOLLOWUPS}`);
  out(`| ${kind} | ${workers} | ${fmt(r.perSecond)} | ${r.seconds.toFixed(1)} s | ${r.peakRssMb} MB |`);
}
await fuReceiver.stop();

const INBOUND = Number(process.env.BENCH_INBOUND ?? 10_000);
out("");
out(
  `### The assistant: ${fmt(INBOUND)} inbound messages at once, one worker, rules brain (read, tag, summarise, extract, write and queue the reply)`,
);
out("");
out("| backend | jobs/s | replies queued | total time | CPU per inbound | peak RSS |");
out("|---|---:|---:|---:|---:|---:|");
for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"]) {
  const r = await assistantBurst(kind, INBOUND);
  if (r.handled !== INBOUND) throw new Error(`${kind}: ${r.handled} jobs handled, expected ${INBOUND}`);
  out(
    `| ${kind} | ${fmt(r.perSecond)} | ${fmt(r.replies)} | ${r.seconds.toFixed(1)} s | ${(r.cpuUsPerJob / 1000).toFixed(2)} ms | ${r.peakRssMb} MB |`,
  );
}

out("");
out(IMPORT_HEADING);
out("");
for (const line of IMPORT_TABLE_HEAD) out(line);
for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"])
  printImport(out, kind, await importRuns(kind));

out("");
out(STATS_HEADING);
out("");
for (const line of STATS_TABLE_HEAD) out(line);
for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"]) {
  printStats(out, kind, await statsTimings(kind));
}

out("");
const evaluation = spawnSync(process.execPath, [fileURLToPath(new URL("../eval/run.mjs", import.meta.url))], {
  encoding: "utf8",
});
if (evaluation.status !== 0) throw new Error(`eval/run.mjs failed: ${evaluation.stderr}`);
out(evaluation.stdout.trimEnd());
process.exit(0);
