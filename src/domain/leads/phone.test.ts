import { describe, expect, it } from "vitest";
import { normalizePhone } from "./phone.js";

describe("normalizePhone", () => {
  it.each([
    ["+1 (202) 555-0189", "+12025550189"],
    ["+12025550189", "+12025550189"],
    ["  +1 202-555-0189 ", "+12025550189"],
    ["+44 20 7946 0958", "+442079460958"],
    ["+33 1 23 45 67 89", "+33123456789"],
    ["+1 (555) 555-5555", "+15555555555"],
  ])("accepts %j as %s", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ["12345"],
    ["+999"],
    [""],
    ["   "],
    ["2025550189"],
    ["+1 202 555 0189 ext 5"],
    ["+1.202.555.0189"],
    ["+1"],
    ["+1 (202) 555-01899999"],
    ["tel:+12025550189"],
  ])("refuses %j", (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });
});
