// npm run eval: how well the rules brain reads replies, on the labelled set in eval/inbound.jsonl.
// Prints per-intent precision and recall, the combined stop recall and the false-stop rate, as
// Markdown (BENCHMARKS.md). The set was written independently of the classifier; lines with an
// even number are the holdout half, never looked at while changing the phrase patterns.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readIntent } from "../dist/providers/assistant/rules/readIntent.js";

const INTENTS = [
  "do_not_contact",
  "opt_out_channel",
  "wrong_number",
  "not_interested",
  "question",
  "interested",
  "booking",
  "other",
];
const STOPS = new Set(["do_not_contact", "opt_out_channel"]);
// "Stop" in another sense: the words a careless matcher would take for an opt-out.
const STOP_WORDS = /\b(stop\w*|unsubscrib\w*|remov\w*|cancel\w*|quit\w*|end\w*|opt\w*)\b/i;

const file = fileURLToPath(new URL("./inbound.jsonl", import.meta.url));
const rows = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));

const pct = (n) => (Number.isNaN(n) ? "n/a" : n.toFixed(3));

function measure(set) {
  const results = set.map((row) => ({ ...row, got: readIntent(row.text, row.channel).intent }));
  const perIntent = INTENTS.map((intent) => {
    const tp = results.filter((r) => r.intent === intent && r.got === intent).length;
    const fp = results.filter((r) => r.intent !== intent && r.got === intent).length;
    const fn = results.filter((r) => r.intent === intent && r.got !== intent).length;
    return { intent, n: tp + fn, precision: tp / (tp + fp), recall: tp / (tp + fn) };
  });
  const stops = results.filter((r) => STOPS.has(r.intent));
  const stopRecall = stops.filter((r) => STOPS.has(r.got)).length / stops.length;
  const otherSense = results.filter((r) => !STOPS.has(r.intent) && STOP_WORDS.test(r.text));
  const falseStopOtherSense = otherSense.filter((r) => STOPS.has(r.got)).length / otherSense.length;
  const nonStops = results.filter((r) => !STOPS.has(r.intent));
  const falseStopAll = nonStops.filter((r) => STOPS.has(r.got)).length / nonStops.length;
  const accuracy = results.filter((r) => r.got === r.intent).length / results.length;
  return {
    results,
    perIntent,
    stops,
    stopRecall,
    otherSense,
    falseStopOtherSense,
    nonStops,
    falseStopAll,
    accuracy,
  };
}

const isDev = (r) => Number(r.id.slice(1)) % 2 === 1;
// While tuning (--misses) only the dev half is shown, so the holdout half stays unseen.
const tuning = process.argv.includes("--misses");
const splits = tuning
  ? [["dev (odd ids)", rows.filter(isDev)]]
  : [
      ["all", rows],
      ["dev (odd ids)", rows.filter(isDev)],
      ["holdout (even ids)", rows.filter((r) => !isDev(r))],
    ];
const out = [];
out.push(
  `### The rules brain reading replies (${tuning ? "dev half only" : `${rows.length} labelled messages`}, eval/inbound.jsonl)`,
  "",
);
const measured = splits.map(([name, set]) => [name, set, measure(set)]);
out.push(`| intent | messages |${measured.map(([n]) => ` ${n}: precision / recall |`).join("")}`);
out.push(`|---|---:|${measured.map(() => "---:|").join("")}`);
const all = measured[0][2];
for (const [i, row] of all.perIntent.entries()) {
  out.push(
    `| ${row.intent} | ${row.n} |${measured
      .map(([, , m]) => ` ${pct(m.perIntent[i].precision)} / ${pct(m.perIntent[i].recall)} |`)
      .join("")}`,
  );
}
out.push("");
for (const [name, set, m] of measured) {
  out.push(
    `- **${name}** (${set.length}): accuracy ${pct(m.accuracy)}; stop recall (do_not_contact + opt_out_channel read as either) **${pct(m.stopRecall)}** (${m.stops.filter((r) => STOPS.has(r.got)).length}/${m.stops.length}); false stops among non-stop messages with a stop-like word **${pct(m.falseStopOtherSense)}** (${m.otherSense.filter((r) => STOPS.has(r.got)).length}/${m.otherSense.length}); among all non-stop messages ${pct(m.falseStopAll)} (${m.nonStops.filter((r) => STOPS.has(r.got)).length}/${m.nonStops.length})`,
  );
}
if (process.argv.includes("--misses")) {
  // Only the dev half (odd ids): the holdout half stays unseen by whoever tunes the patterns.
  out.push("", "Misses in the dev half (odd ids):");
  for (const r of all.results.filter((r) => r.got !== r.intent))
    out.push(`- ${r.id} [${r.intent} → ${r.got}] ${JSON.stringify(r.text.slice(0, 140))}`);
}
process.stdout.write(`${out.join("\n")}\n`);
const holdout = measured.at(-1)[2];
if (process.argv.includes("--check") && (holdout.stopRecall < 0.98 || holdout.falseStopOtherSense > 0.02)) {
  process.stderr.write("stop recall or false-stop rate misses its target\n");
  process.exitCode = 1;
}
