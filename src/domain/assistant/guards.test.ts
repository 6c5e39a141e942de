import { describe, expect, it } from "vitest";
import { draftProblem, finishDraft, type GuardRules } from "./guards.js";

const sms: GuardRules = {
  channel: "sms",
  maxSmsLength: 320,
  bookingUrl: "https://cal.example.com/acme",
  publicUrl: "https://leads.acme.test",
  allowedDomains: ["acme.test"],
  optOutLine: null,
  discloseAi: true,
};

const ok = (text: string, rules: GuardRules = sms, subject: string | null = null) =>
  draftProblem(finishDraft({ text, subject }, rules), rules);

describe("draft guards", () => {
  it("passes a plain SMS and the links we allow", () => {
    expect(ok("Hi Dana, want to pick a time? https://cal.example.com/acme/intro")).toBeUndefined();
    expect(ok("See https://www.acme.test/pricing or docs.acme.test.")).toBeUndefined();
    expect(
      ok("Unsubscribe: https://leads.acme.test/unsubscribe/abc", { ...sms, channel: "email" }, "Hi"),
    ).toBeUndefined();
  });

  it("refuses other links, bare domains included", () => {
    expect(ok("Visit https://evil.example.net/x")).toMatch(/links to https:\/\/evil\.example\.net\/x/);
    expect(ok("Go to www.other.com now")).toMatch(/links to www\.other\.com/);
    expect(ok("Check competitor.com/deals")).toMatch(/links to competitor\.com\/deals/);
    expect(ok("Visit https://cal.example.com.evil.io/")).toMatch(/links to/);
  });

  it("refuses placeholders, empty text and texts over the limit", () => {
    expect(ok("Hi {{firstName}}!")).toMatch(/placeholder/);
    expect(ok("   ")).toMatch(/empty/);
    expect(ok("x".repeat(321))).toBe("the SMS is 321 characters; at most 320 are allowed");
    expect(ok("x".repeat(1700), { ...sms, maxSmsLength: 1600 })).toMatch(/at most 1600/);
  });

  it("appends the opt-out line to the first SMS and counts it in the length", () => {
    const rules = { ...sms, optOutLine: "Reply STOP to opt out." };
    expect(finishDraft({ text: "Hi Dana", subject: null }, rules).text).toBe(
      "Hi Dana. Reply STOP to opt out.",
    );
    expect(finishDraft({ text: "Hi Dana!", subject: null }, rules).text).toBe(
      "Hi Dana! Reply STOP to opt out.",
    );
    expect(finishDraft({ text: "Hi. Reply stop to opt out.", subject: null }, rules).text).toBe(
      "Hi. Reply stop to opt out.",
    );
    expect(ok("x".repeat(300), rules)).toMatch(/at most 320/);
  });

  it("needs a one-line subject on email and drops it on SMS", () => {
    const email = { ...sms, channel: "email" as const };
    expect(ok("Hello", email, null)).toBe("an email needs a subject");
    expect(ok("Hello", email, "Line\nbreak")).toMatch(/one line/);
    expect(finishDraft({ text: "Hi", subject: "S" }, sms).subject).toBeNull();
  });

  it("refuses a claim to be a person when the assistant must disclose itself", () => {
    expect(ok("I'm a real person, not a bot!")).toMatch(/claims to be a person/);
    expect(ok("Im a human, promise")).toMatch(/claims to be a person/);
    expect(ok("I'm not a robot")).toMatch(/claims to be a person/);
    expect(ok("I'm a real person", { ...sms, discloseAi: false })).toBeUndefined();
    expect(ok("I'm Ava, the virtual assistant for Acme.")).toBeUndefined();
  });
});
