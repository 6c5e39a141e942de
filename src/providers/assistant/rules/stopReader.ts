import { z } from "zod";
import { pieceScale, softmax, stopFeatures, type Triple } from "./stopFeatures.js";
import stored from "./stopReaderWeights.json" with { type: "json" };

/**
 * The rules brain's second stop reader: a logistic regression over letter and word pieces,
 * trained offline on the labelled development replies (scripts/trainStopReader.mjs). The phrase
 * patterns learn the wordings they are shown; this reader generalises from pieces of them, and on
 * unseen replies it catches stop requests the patterns miss. Its stop only ever adds to theirs
 * (missing a stop is the worst error), and only when it is sure, because on its own it reads
 * "stop by" and "cancel my old policy" as stops more often than the patterns do.
 */
export interface StopOdds {
  /** Probability the lead asks us to stop contacting them, on any channel or on this one. */
  stop: number;
  /** Whether, as a stop, it reads more like "stop everything" than "not on this channel". */
  everyChannel: boolean;
  /** The words or word pairs that pushed hardest towards a stop, for the timeline's reason. */
  cues: string[];
}

/**
 * Past this the reader's stop stands even when no phrase pattern saw one, and below
 * `STOP_READER_VETO` it overrules a pattern's stop. Both were chosen by three-fold
 * cross-validation on the three newest training corpora (train on all development data but one
 * of them, read that one; none had been seen by the patterns when it was written): against 0.8
 * and no veto, 0.5 and 0.15 caught 2.9 to 3.6 points more of the stops and made 3.9 to 9.0 points
 * fewer false stops among replies with a stop-like word in another sense (BENCHMARKS.md, session
 * 8). A lower threshold caught more there but read short replies of the unit examples as stops
 * ("ya" at 45%, "Not anymore", "Is 3 bedrooms enough?").
 * The veto only reaches stops that rest on a word with other senses (readIntent.ts).
 */
export const STOP_READER_THRESHOLD = 0.5;

/** Below this the reader overrules a phrase pattern's stop: "stop it 😍 I love it". */
export const STOP_READER_VETO = 0.15;

const weightsSchema = z.object({
  trainedOn: z.object({ rows: z.number().int().positive(), sha256: z.string() }),
  classes: z.tuple([z.literal("not_a_stop"), z.literal("do_not_contact"), z.literal("opt_out_channel")]),
  bias: z.tuple([z.number(), z.number(), z.number()]),
  features: z.record(z.string(), z.tuple([z.number(), z.number(), z.number()])),
});

/** A trained reader, and how many labelled replies it learnt from (for explanations). */
export interface StopReader {
  read: (text: string) => StopOdds;
  trainedOn: number;
}

/** A reader over the given weights (stopReaderWeights.json's shape), checked when it is made. */
export function createStopReader(stored: unknown): StopReader {
  const model = weightsSchema.parse(stored);
  const weights = new Map(Object.entries(model.features));
  const read = (text: string): StopOdds => {
    const z: Triple = [...model.bias];
    const pushes: [string, number][] = [];
    const features = stopFeatures(text);
    const scale = pieceScale(features.length);
    for (const feature of features) {
      const w = weights.get(feature);
      if (w === undefined) continue;
      for (const k of [0, 1, 2] as const) z[k] += w[k] * scale;
      if (!feature.startsWith("c:")) pushes.push([feature.slice(2), Math.max(w[1], w[2]) - w[0]]);
    }
    const [, everyChannel, thisChannel] = softmax(z);
    const cues = pushes
      .filter(([, push]) => push > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([cue]) => cue);
    return { stop: everyChannel + thisChannel, everyChannel: everyChannel >= thisChannel, cues };
  };
  return { read, trainedOn: model.trainedOn.rows };
}

// Checked once at load: a corrupt or hand-edited weights file fails the process at start.
const committed = createStopReader(stored);

/** Rows the reader was trained on, for explanations ("trained on 774 labelled replies"). */
export const STOP_READER_TRAINED_ON = committed.trainedOn;

export const readStopOdds = committed.read;
