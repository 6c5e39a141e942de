import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retryAfter.js";

describe("parseRetryAfter", () => {
  const now = new Date("2024-01-15T14:30:00Z");
  it.each([
    ["120", 120_000],
    [" 0 ", 0],
    ["Mon, 15 Jan 2024 14:31:00 GMT", 60_000],
    ["Mon, 15 Jan 2024 14:00:00 GMT", 0],
    ["soon", undefined],
    ["", undefined],
    [undefined, undefined],
    ["-5", undefined],
  ])("%j → %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
