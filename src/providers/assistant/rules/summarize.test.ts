import { describe, expect, it } from "vitest";
import type { AssistantLead, ConversationTurn, Intent } from "../../../domain/assistant/assistant.js";
import { type SummaryInput, summarize } from "./summarize.js";

const NOW = new Date("2026-03-05T16:00:00.000Z");

const DANA: AssistantLead = {
  firstName: "Dana",
  lastName: "Lee",
  timeZone: "America/Chicago",
  additionalInfo: {},
  summary: null,
};

function turn(direction: "inbound" | "outbound", text: string, at: string, channel: "sms" | "email" = "sms") {
  const t: ConversationTurn = { direction, channel, text, subject: null, at };
  return t;
}

const CONVERSATION: ConversationTurn[] = [
  turn("outbound", "Hi Dana, this is Ava.", "2026-03-01T15:00:00.000Z"),
  turn("inbound", "Hi! Looking at homes.", "2026-03-01T16:00:00.000Z"),
  turn("outbound", "Great, what is your budget?", "2026-03-02T15:00:00.000Z"),
  turn("inbound", "Do you service Plano?", "2026-03-03T18:00:00.000Z"),
];

function input(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    lead: DANA,
    conversation: CONVERSATION,
    intent: "question",
    extracted: {},
    now: NOW,
    ...overrides,
  };
}

function sentenceCount(text: string): number {
  // Sentences end with ". " or a final "."; a quoted message keeps its own punctuation inside quotes.
  return text.split(/(?<=[.])\s+(?=[A-Z0-9])/).length;
}

describe("summarize", () => {
  it("says who replied, how, when, what was asked, the counts, what is known and what is next", () => {
    const text = summarize(
      input({
        extracted: { budget: "$450k" },
        lead: { ...DANA, additionalInfo: { moveInDate: "March 15", budget: "$300k" } },
      }),
    );
    expect(text).toBe(
      'Dana replied by SMS on 2026-03-03 asking a question: "Do you service Plano?". ' +
        "4 messages so far (2 from Dana). Known: budget $450k, moveInDate March 15. " +
        "Next: a teammate should answer the question.",
    );
  });

  it("dates the reply in the lead's time zone, and in UTC without one", () => {
    const late = [turn("inbound", "Still there?", "2026-03-04T03:30:00.000Z")];
    expect(summarize(input({ conversation: late, intent: "other" }))).toContain("on 2026-03-03");
    const utc = { ...DANA, timeZone: null };
    expect(summarize(input({ conversation: late, intent: "other", lead: utc }))).toContain("on 2026-03-04");
    const bogus = { ...DANA, timeZone: "Not/AZone" };
    expect(summarize(input({ conversation: late, intent: "other", lead: bogus }))).toContain("on 2026-03-04");
  });

  it("describes each intent and what comes next", () => {
    const expected: Record<Intent, [string, string]> = {
      do_not_contact: ["asking not to be contacted again", "Next: no further contact on any channel."],
      opt_out_channel: ["asking to stop messages by SMS", "Next: no more messages by SMS."],
      wrong_number: ["saying we have the wrong number", "Next: no further contact"],
      not_interested: ["saying they are not interested", "Next: nothing; follow-ups are stopped."],
      question: ["asking a question", "Next: a teammate should answer the question."],
      interested: ["showing interest", "Next: help them pick a time to talk."],
      booking: ["asking to book a call or meeting", "Next: confirm a time for the call or meeting."],
      other: ["replied by SMS on 2026-03-03: ", "Next: read the reply and respond if needed."],
    };
    for (const [intent, [reading, next]] of Object.entries(expected) as [Intent, [string, string]][]) {
      const text = summarize(input({ intent }));
      expect(text, intent).toContain(reading);
      expect(text, intent).toContain(next);
      const count = sentenceCount(text);
      expect(count, text).toBeGreaterThanOrEqual(2);
      expect(count, text).toBeLessThanOrEqual(4);
    }
  });

  it("quotes at most 120 characters of the last inbound message, cut at a word", () => {
    const long = `${"We are relocating from Chicago with two kids and a dog, ".repeat(4)}and need a yard.`;
    const text = summarize(input({ conversation: [turn("inbound", long, "2026-03-03T18:00:00.000Z")] }));
    const quoted = /"([^"]*)"/.exec(text)?.[1] ?? "";
    expect(quoted.length).toBeLessThanOrEqual(120);
    expect(quoted.endsWith("…")).toBe(true);
    expect(long.startsWith(quoted.slice(0, -1))).toBe(true);
    expect(long.charAt(quoted.length - 1)).toBe(" ");
  });

  it("keeps the quote on one line and does not break it with the lead's own double quotes", () => {
    const text = summarize(
      input({
        conversation: [
          turn("inbound", 'Is the "Elm St"\nhouse still\tavailable?', "2026-03-03T18:00:00.000Z"),
        ],
      }),
    );
    expect(text).toContain(`: "Is the 'Elm St' house still available?".`);
  });

  it("lists at most five known values, extracted ones first, and skips ids, secrets and objects", () => {
    const text = summarize(
      input({
        extracted: { moveInDate: "April 1" },
        lead: {
          ...DANA,
          additionalInfo: {
            leadId: "abc",
            crm_id: 7,
            apiKey: "k",
            paid: true,
            bedrooms: 3,
            city: "Plano",
            nested: { a: 1 },
            empty: "",
            zip: "75024",
            area: "north",
            pets: "dog",
          },
        },
      }),
    );
    expect(text).toContain("Known: moveInDate April 1, area north, bedrooms 3, city Plano, paid yes.");
    expect(text).not.toMatch(/leadId|crm_id|apiKey|nested|empty|zip|pets/);
  });

  it("clips a long known value", () => {
    const text = summarize(input({ extracted: { notes: "x".repeat(200) } }));
    expect(text).toContain(`notes ${"x".repeat(59)}…`);
  });

  it("says when the lead has not replied yet", () => {
    const outboundOnly = [turn("outbound", "Hi Dana", "2026-03-01T15:00:00.000Z", "email")];
    expect(summarize(input({ conversation: outboundOnly, intent: "other" }))).toBe(
      "No reply from Dana yet; we last wrote by email on 2026-03-01 (4 days ago). 1 message so far (0 from Dana). " +
        "Next: wait for a reply; follow-ups continue as scheduled.",
    );
    expect(summarize(input({ conversation: [], intent: "other" }))).toBe(
      "No messages with Dana yet. Next: wait for a reply; follow-ups continue as scheduled.",
    );
  });

  it("calls a lead without a first name the lead", () => {
    const text = summarize(input({ lead: { ...DANA, firstName: " " } }));
    expect(text).toMatch(/^The lead replied by SMS/);
    expect(text).toContain("(2 from the lead)");
  });

  it("is deterministic", () => {
    expect(summarize(input())).toBe(summarize(input()));
  });
});
