import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readIntent } from "./readIntent.js";
import { readStopOdds, STOP_READER_THRESHOLD } from "./stopReader.js";
import stored from "./stopReaderWeights.json" with { type: "json" };
import { developmentData, trainStopReader } from "./trainStopReader.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

describe("the trained stop reader", () => {
  it("is exactly what training on the current development data gives (deterministic, not stale)", () => {
    const { rows, sources } = developmentData((name) => readFileSync(`${root}${name}`, "utf8"));
    expect(trainStopReader(rows, sources)).toEqual(stored);
  }, 60_000);

  it("is sure of plain stop requests and unsure of greetings, however short", () => {
    expect(readStopOdds("please stop texting me").stop).toBeGreaterThan(STOP_READER_THRESHOLD);
    for (const text of ["hello", "Hello?", "ok", "thanks!", "who is this"])
      expect(readStopOdds(text).stop, text).toBeLessThan(0.5);
  });

  it("names the words that pushed it towards a stop", () => {
    const odds = readStopOdds("please stop texting me");
    expect(odds.cues.length).toBeGreaterThan(0);
    expect(odds.cues.every((cue) => "please stop texting me".includes(cue))).toBe(true);
  });

  it("adds a stop the phrase patterns miss, and says on the timeline that it decided", () => {
    const reading = readIntent("ya basta de mensajes", "sms");
    expect(reading.intent).toBe("do_not_contact");
    expect(reading.reason).toMatch(
      /^a reader trained on \d+ labelled replies is \d+% sure this asks us to stop/,
    );
  });

  it("never overrides the patterns' reading of a stop-like word in another sense", () => {
    // On its own the reader is sure this is a stop; the patterns know "don't stop" cheers us on.
    expect(readStopOdds("please don't stop texting me").stop).toBeGreaterThan(STOP_READER_THRESHOLD);
    expect(readIntent("please don't stop texting me", "sms").intent).toBe("interested");
  });
});
