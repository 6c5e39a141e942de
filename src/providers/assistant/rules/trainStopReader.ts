import { createHash } from "node:crypto";
import { z } from "zod";
import { pieceScale, softmax, stopFeatures, type Triple } from "./stopFeatures.js";

/**
 * Training for the trained stop reader (stopReader.ts): a logistic regression over the pieces of
 * stopFeatures(), three classes (not a stop, do_not_contact, opt_out_channel). Deterministic: rows
 * in the order given, fixed passes and rates, no randomness, so the same data always gives the
 * same weights and a test can retrain and compare with the committed file.
 */
export interface LabelledReply {
  text: string;
  intent: string;
}

export interface StopReaderWeights {
  about: string;
  trainedOn: { rows: number; sha256: string };
  classes: ["not_a_stop", "do_not_contact", "opt_out_channel"];
  bias: [number, number, number];
  features: Record<string, [number, number, number]>;
}

export const TRAINING_OPTIONS = { minCount: 2, l2: 0.003, passes: 40, rate: 0.5, keepAbove: 0.002 };
const CLASSES: StopReaderWeights["classes"] = ["not_a_stop", "do_not_contact", "opt_out_channel"];
const CLASS_INDEXES = [0, 1, 2] as const;
/** Every other intent is "not a stop" (class 0). */
const CLASS_OF = new Map<string, number>(CLASSES.map((name, k) => [name, k]));

/**
 * The development data, as scripts/trainStopReader.mjs and the staleness test read it: the
 * training corpora eval/train/replies*.jsonl, all of eval/inbound.jsonl and the odd ids of
 * eval/fresh.jsonl and eval/fresh2.jsonl. Their even ids are the holdouts and are never trained on,
 * so `npm run eval` measures the reader on replies it never saw.
 */
export const DEVELOPMENT_SETS: readonly { name: string; keep: (id: string) => boolean }[] = [
  { name: "eval/train/replies.jsonl", keep: () => true },
  { name: "eval/train/replies2.jsonl", keep: () => true },
  { name: "eval/train/replies3.jsonl", keep: () => true },
  { name: "eval/train/replies4.jsonl", keep: () => true },
  { name: "eval/train/replies5.jsonl", keep: () => true },
  { name: "eval/train/replies6.jsonl", keep: () => true },
  { name: "eval/train/senses9.jsonl", keep: () => true },
  { name: "eval/inbound.jsonl", keep: () => true },
  { name: "eval/fresh.jsonl", keep: isOdd },
  { name: "eval/fresh2.jsonl", keep: isOdd },
];

function isOdd(id: string): boolean {
  return Number(id.slice(1)) % 2 === 1;
}

export function developmentData(read: (name: string) => string): {
  rows: LabelledReply[];
  sources: { name: string; text: string }[];
} {
  const rows: LabelledReply[] = [];
  const sources = DEVELOPMENT_SETS.map(({ name, keep }) => {
    const text = read(name);
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const row = labelledRow.parse(JSON.parse(line));
      if (keep(row.id)) rows.push(row);
    }
    return { name, text };
  });
  return { rows, sources };
}

const labelledRow = z.object({ id: z.string(), text: z.string(), intent: z.string() });

/** `sources` are the training files' names and texts: their fingerprint is stored with the weights. */
export function trainStopReader(
  rows: readonly LabelledReply[],
  sources: readonly { name: string; text: string }[],
): StopReaderWeights {
  const inputs = rows.map((row) => stopFeatures(row.text));
  const counts = new Map<string, number>();
  for (const pieces of inputs) for (const piece of pieces) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  // Pieces become numbers once, so the passes below are plain arithmetic over typed arrays.
  const kept = [...counts].filter(([, n]) => n >= TRAINING_OPTIONS.minCount).map(([piece]) => piece);
  const numberOf = new Map(kept.map((piece, j) => [piece, j]));
  const known = inputs.map((pieces) => Int32Array.from(pieces.flatMap((piece) => numberOf.get(piece) ?? [])));
  const scales = inputs.map((pieces) => pieceScale(pieces.length));
  const targets = rows.map((row) => CLASS_OF.get(row.intent) ?? 0);
  const w = new Float64Array(kept.length * 3);
  const squares = new Float64Array(kept.length * 3).fill(1e-8);
  const bias: Triple = [0, 0, 0];
  const biasSquares: Triple = [1e-8, 1e-8, 1e-8];
  const { rate, l2 } = TRAINING_OPTIONS;

  // AdaGrad: per-piece rates, so rare letter pieces still learn without common ones overshooting.
  for (let pass = 0; pass < TRAINING_OPTIONS.passes; pass++) {
    for (const [i, row] of known.entries()) {
      const scale = scales[i] ?? 1;
      const z: Triple = [...bias];
      for (const j of row) for (const k of CLASS_INDEXES) z[k] += (w[j * 3 + k] ?? 0) * scale;
      const p = softmax(z);
      for (const k of CLASS_INDEXES) {
        const g = p[k] - (targets[i] === k ? 1 : 0);
        biasSquares[k] += g * g;
        bias[k] -= (rate * g) / Math.sqrt(biasSquares[k]);
        for (const j of row) {
          const at = j * 3 + k;
          const grad = g * scale + l2 * (w[at] ?? 0);
          squares[at] = (squares[at] ?? 0) + grad * grad;
          w[at] = (w[at] ?? 0) - (rate * grad) / Math.sqrt(squares[at] ?? 1);
        }
      }
    }
  }

  // "|| 0" keeps -0 out of the file: it reads back as 0 and would differ from a retrained -0.
  const round = (v: number) => Math.round(v * 10_000) / 10_000 || 0;
  const features: Record<string, Triple> = {};
  for (const piece of [...kept].sort()) {
    const j = numberOf.get(piece) ?? 0;
    const triple: Triple = [w[j * 3] ?? 0, w[j * 3 + 1] ?? 0, w[j * 3 + 2] ?? 0];
    if (triple.some((v) => Math.abs(v) > TRAINING_OPTIONS.keepAbove))
      features[piece] = [round(triple[0]), round(triple[1]), round(triple[2])];
  }
  return {
    about:
      "Generated by scripts/trainStopReader.mjs from the labelled development data; do not edit by hand.",
    trainedOn: { rows: rows.length, sha256: fingerprint(sources) },
    classes: CLASSES,
    bias: [round(bias[0]), round(bias[1]), round(bias[2])],
    features,
  };
}

function fingerprint(sources: readonly { name: string; text: string }[]): string {
  const hash = createHash("sha256");
  for (const { name, text } of sources) hash.update(name).update(text);
  return hash.update(JSON.stringify(TRAINING_OPTIONS)).digest("hex");
}
