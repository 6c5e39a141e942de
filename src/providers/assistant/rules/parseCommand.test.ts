import { describe, expect, it } from "vitest";
import type { AssistantCommand } from "../../../domain/assistant/assistant.js";
import { parseCommand } from "./parseCommand.js";

const CHICAGO = "America/Chicago";
const BERLIN = "Europe/Berlin";
/** Thursday 2026-03-05, 09:00 in Chicago (CST, UTC-6), 16:00 in Berlin (CET, UTC+1). */
const NOW = new Date("2026-03-05T15:00:00.000Z");

function parse(command: string, timeZone = CHICAGO, now = NOW): AssistantCommand {
  return parseCommand({ command, now, timeZone });
}

function at(command: string, timeZone = CHICAGO, now = NOW): string {
  const result = parse(command, timeZone, now);
  if (result.kind !== "follow_up_at") throw new Error(`${command}: ${JSON.stringify(result)}`);
  return result.at.toISOString();
}

describe("parseCommand: send now", () => {
  const cases: [string, string][] = [
    ["send: we have a 3 bedroom open Saturday", "We have a 3 bedroom open Saturday"],
    ["Send:   see you at 5", "See you at 5"],
    ['send "Thanks, see you Friday!"', "Thanks, see you Friday!"],
    ["send ‘running 5 min late’", "Running 5 min late"],
    ["SEND them a text saying the price dropped", "The price dropped"],
    ['send them a text saying "the price dropped"', "The price dropped"],
    ["text them that the house on Elm is still available", "The house on Elm is still available"],
    ["Text them that “we can meet at 4”", "We can meet at 4"],
    ["please text them that we're closed Monday", "We're closed Monday"],
    ["email them that the contract is ready", "The contract is ready"],
    ["email Dana that the contract is ready", "The contract is ready"],
    ["tell them the open house moved to Sunday", "The open house moved to Sunday"],
    ["tell them that we found two more listings", "We found two more listings"],
    ["tell them to call us back when they can", "Please call us back when they can"],
    ["let them know we're open late tonight", "We're open late tonight"],
    ["text: Are you free tomorrow?", "Are you free tomorrow?"],
    ["reply: yes, pets are allowed", "Yes, pets are allowed"],
    ["send: stop by the office anytime", "Stop by the office anytime"],
    ["send: Stop following up with me is what you said?", "Stop following up with me is what you said?"],
    ["text them: follow up in 2 days", "Follow up in 2 days"],
  ];
  for (const [command, text] of cases) {
    it(`"${command}"`, () => {
      expect(parse(command)).toEqual({ kind: "send", text });
    });
  }

  it("keeps the message's own line breaks", () => {
    expect(parse("send: Line one\nLine two")).toEqual({ kind: "send", text: "Line one\nLine two" });
  });

  it("does not send a bare 'send <text>' without a colon or quotes", () => {
    expect(parse("send the listing").kind).toBe("not_understood");
    expect(parse("send them something nice").kind).toBe("not_understood");
  });

  it("refuses an empty message", () => {
    for (const command of [
      "send:",
      "send:   ",
      'send ""',
      "text them: ''",
      "text them that",
      "let them know",
    ]) {
      const result = parse(command);
      expect(result.kind, command).toBe("not_understood");
    }
  });
});

describe("parseCommand: stop follow-ups and assistant off", () => {
  const stops = [
    "stop follow-ups",
    "Stop follow ups",
    "stop followups",
    "stop following up",
    "Stop following up!",
    "please stop following up with them",
    "no more follow ups",
    "No more follow-ups please",
    "pause follow-ups",
    "pause the follow-ups",
    "cancel the sequence",
    "cancel all remaining follow-ups",
    "turn off the AI follow-ups",
    "stop the AI from following up",
    "follow-ups off",
    "don't follow up",
    "do not contact them again",
    "unenroll them",
    "remove them from the sequence",
    "end the drip",
    "stop texting them",
  ];
  for (const command of stops) {
    it(`"${command}" stops follow-ups`, () => {
      expect(parse(command)).toEqual({ kind: "stop_follow_ups" });
    });
  }

  const offs = [
    "turn off the assistant",
    "Turn off the AI",
    "turn off the bot",
    "turn the AI off",
    "switch off the assistant",
    "stop the AI",
    "stop the bot",
    "STOP THE AI!!",
    "I'll handle this one",
    "I’ll handle this one",
    "i will handle it",
    "I'll take it from here",
    "take over",
    "I'm taking over",
    "let me handle this",
    "AI off",
    "ai off please",
    "assistant off",
    "pause the assistant",
    "disable the AI",
    "no more AI replies",
    "I've got this",
    "AI: off",
    "quit the AI",
    "stop following up, I'll handle this one",
  ];
  for (const command of offs) {
    it(`"${command}" turns the assistant off`, () => {
      expect(parse(command)).toEqual({ kind: "assistant_off" });
    });
  }

  it("asks what to stop when the command is a bare stop", () => {
    for (const command of ["stop", "Pause.", "STOP!"]) {
      const result = parse(command);
      expect(result.kind, command).toBe("not_understood");
      if (result.kind === "not_understood") expect(result.reason).toMatch(/^Stop what\?/);
    }
  });

  it("does not take a negated stop for a stop", () => {
    for (const command of ["don't stop following up", "do not turn off the AI", "never stop the sequence"]) {
      const result = parse(command);
      expect(result.kind, command).toBe("not_understood");
    }
  });
});

describe("parseCommand: follow up at a time", () => {
  it("understands durations, days, weekdays and dates in Chicago", () => {
    // 2 days later, no time given: 10:00 local. DST starts in Chicago on Sunday 2026-03-08.
    expect(at("follow up in 2 days")).toBe("2026-03-07T16:00:00.000Z");
    expect(at("follow up in 3 days")).toBe("2026-03-08T15:00:00.000Z");
    expect(at("follow up tomorrow at 9")).toBe("2026-03-06T15:00:00.000Z");
    expect(at("follow up on Friday at 10am")).toBe("2026-03-06T16:00:00.000Z");
    expect(at("Follow up on Monday at 10am")).toBe("2026-03-09T15:00:00.000Z");
    expect(at("follow up next week")).toBe("2026-03-12T15:00:00.000Z");
    expect(at("remind them on March 10")).toBe("2026-03-10T15:00:00.000Z");
    expect(at("check in with them on March 10 at 2:30pm")).toBe("2026-03-10T19:30:00.000Z");
    expect(at("follow up at 4pm")).toBe("2026-03-05T22:00:00.000Z");
    expect(at("follow-up Monday morning")).toBe("2026-03-09T14:00:00.000Z");
    expect(at("text them tomorrow at 9")).toBe("2026-03-06T15:00:00.000Z");
    expect(at("tomorrow at 9")).toBe("2026-03-06T15:00:00.000Z");
  });

  it("reads the same words in Berlin, across its own DST change (2026-03-29)", () => {
    const now = new Date("2026-03-26T09:00:00.000Z"); // Thursday 10:00 CET
    expect(at("follow up on Friday at 10am", BERLIN, now)).toBe("2026-03-27T09:00:00.000Z");
    expect(at("follow up on Monday at 10am", BERLIN, now)).toBe("2026-03-30T08:00:00.000Z");
    expect(at("follow up in 4 days", BERLIN, now)).toBe("2026-03-30T08:00:00.000Z");
    expect(at("follow up tomorrow", BERLIN, now)).toBe("2026-03-27T09:00:00.000Z");
    // The same instant in Chicago is already CDT (UTC-5): 04:00 there.
    expect(at("follow up on Monday at 10am", CHICAGO, now)).toBe("2026-03-30T15:00:00.000Z");
  });

  it("handles the autumn change in both zones", () => {
    const chicagoNow = new Date("2026-10-29T15:00:00.000Z"); // Thursday 10:00 CDT; CST from 2026-11-01
    expect(at("follow up on Monday at 10am", CHICAGO, chicagoNow)).toBe("2026-11-02T16:00:00.000Z");
    const berlinNow = new Date("2026-10-22T08:00:00.000Z"); // Thursday 10:00 CEST; CET from 2026-10-25
    expect(at("follow up on Monday at 10am", BERLIN, berlinNow)).toBe("2026-10-26T09:00:00.000Z");
  });

  it("counts hours as real time across the change", () => {
    const beforeChange = new Date("2026-03-08T07:30:00.000Z"); // 01:30 CST; at 02:00 clocks jump to 03:00
    expect(at("follow up in 2 hours", CHICAGO, beforeChange)).toBe("2026-03-08T09:30:00.000Z");
    expect(at("check back in 30 minutes")).toBe("2026-03-05T15:30:00.000Z");
  });

  it("takes 'tomorrow' in the lead's zone, not in UTC", () => {
    const lateEvening = new Date("2026-03-06T05:30:00.000Z"); // 23:30 on Thursday in Chicago, Friday in UTC
    expect(at("follow up tomorrow", CHICAGO, lateEvening)).toBe("2026-03-06T16:00:00.000Z");
    expect(at("follow up tomorrow", BERLIN, lateEvening)).toBe("2026-03-07T09:00:00.000Z");
  });

  it("moves a time already gone today to the next day", () => {
    const afternoon = new Date("2026-03-05T23:00:00.000Z"); // 17:00 in Chicago
    expect(at("follow up at 4pm", CHICAGO, afternoon)).toBe("2026-03-06T22:00:00.000Z");
  });

  it("reads a pause with an end as a follow-up at that end", () => {
    expect(at("don't follow up until Friday")).toBe("2026-03-06T16:00:00.000Z");
    expect(at("pause follow-ups until Monday")).toBe("2026-03-09T15:00:00.000Z");
    expect(at("hold off till next week")).toBe("2026-03-12T15:00:00.000Z");
    expect(parse("stop following up until I say so")).toEqual({ kind: "stop_follow_ups" });
    expect(parse("pause follow-ups until March 1 2026").kind).toBe("not_understood");
  });

  it("honours a zone written in the command", () => {
    expect(at("follow up tomorrow at 9 EST")).toBe("2026-03-06T14:00:00.000Z");
  });

  it("falls back to UTC for an unknown zone", () => {
    expect(at("follow up tomorrow at 9", "Mars/Olympus")).toBe("2026-03-06T09:00:00.000Z");
  });

  it("refuses times in the past or more than a year ahead", () => {
    for (const command of [
      "follow up on March 1 2026",
      "follow up yesterday",
      "follow up in 400 days",
      "follow up on March 3 2028",
    ]) {
      const result = parse(command);
      expect(result.kind, command).toBe("not_understood");
      if (result.kind === "not_understood") expect(result.reason).toMatch(/past|365 days/);
    }
  });

  it("asks when, if the follow-up has no time", () => {
    for (const command of ["follow up", "follow up later", "remind them soonish"]) {
      const result = parse(command);
      expect(result.kind, command).toBe("not_understood");
      if (result.kind === "not_understood") expect(result.reason).toContain("when to follow up");
    }
  });
});

describe("parseCommand: not understood", () => {
  for (const command of [
    "",
    "   ",
    "what's the weather",
    "make them an offer",
    "send the listing",
    "banana",
    "the lead seems nice on Friday",
  ]) {
    it(`"${command}"`, () => {
      const result = parse(command);
      expect(result.kind).toBe("not_understood");
      if (result.kind === "not_understood") {
        expect(result.reason).toContain("send:");
        expect(result.reason).toContain("follow up in 2 days");
        expect(result.reason).toContain("stop follow-ups");
        expect(result.reason).toContain("turn off the assistant");
      }
    });
  }

  it("is deterministic", () => {
    expect(parse("follow up on Friday at 10am")).toEqual(parse("follow up on Friday at 10am"));
  });
});
