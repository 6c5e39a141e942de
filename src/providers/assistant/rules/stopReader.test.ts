import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readIntent } from "./readIntent.js";
import { readStopOdds, STOP_READER_THRESHOLD, STOP_READER_VETO } from "./stopReader.js";
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

  it("overrules a pattern's stop on a word with other senses when it is sure, and says why", () => {
    const always = (stop: number) => ({
      read: () => ({ stop, everyChannel: true, cues: [] }),
      trainedOn: 10,
      addAbove: STOP_READER_THRESHOLD,
      vetoBelow: STOP_READER_VETO,
    });
    const text = "can we opt out of the HOA?";
    const overruled = readIntent(text, "sms", always(0.02));
    expect(overruled.intent).not.toBe("do_not_contact");
    expect(overruled.reason).toMatch(
      /Not a stop request: "opt out" reads as another sense to a reader trained on 10 labelled replies \(2% a stop\)/,
    );
    // Unsure, it leaves the patterns' stop alone: missing a stop is the worst error.
    expect(readIntent(text, "sms", always(STOP_READER_VETO)).intent).toBe("do_not_contact");
  });

  it("never overrules a bare opening keyword or a stop phrase with no other sense", () => {
    const sureItIsNoStop = {
      read: () => ({ stop: 0, everyChannel: true, cues: [] }),
      trainedOn: 10,
      addAbove: STOP_READER_THRESHOLD,
      vetoBelow: STOP_READER_VETO,
    };
    for (const text of ["Stop. Wrong person", "STOP", "I never requested a quote", "lose my number"])
      expect(readIntent(text, "sms", sureItIsNoStop).intent, text).toBe("do_not_contact");
  });
});
