// Retrains the rules brain's trained stop reader from the labelled development data and writes
// src/providers/assistant/rules/stopReaderWeights.json (see trainStopReader.ts for what and why).
// Deterministic; a unit test retrains and fails when the committed weights are stale.
//
//   npm run build && node scripts/trainStopReader.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { developmentData, trainStopReader } from "../dist/providers/assistant/rules/trainStopReader.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { rows, sources } = developmentData((name) => readFileSync(`${root}${name}`, "utf8"));
const weights = trainStopReader(rows, sources);
const out = `${root}src/providers/assistant/rules/stopReaderWeights.json`;
writeFileSync(out, `${JSON.stringify(weights)}\n`);
process.stdout.write(
  `trained on ${rows.length} replies, ${Object.keys(weights.features).length} pieces; wrote ${out}\n`,
);
