import { describe, expect, it } from "vitest";
import { checkFollowUpConfigUsable, followUpConfigSchema, followUpStepSchema } from "./followUpConfig.js";

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("followUpConfigSchema", () => {
  it("accepts consecutive steps with fractional hours", () => {
    const config = { "1": { hours: 24, channel: "text" }, "2": { hours: 0.01, channel: "email" } };
    expect(followUpConfigSchema.parse(config)).toEqual(config);
  });

  it("accepts an empty config and strategyIds", () => {
    expect(followUpConfigSchema.safeParse({}).success).toBe(true);
    expect(
      followUpConfigSchema.safeParse({ "1": { hours: 1, channel: "text", strategyIds: "auto" } }).success,
    ).toBe(true);
  });

  it.each([
    [{ "2": { hours: 1, channel: "text" } }, ["2"]],
    [{ "1": { hours: 1, channel: "text" }, "3": { hours: 1, channel: "text" } }, ["3"]],
    [{ "0": { hours: 1, channel: "text" } }, ["0"]],
    [{ "1": { hours: 0, channel: "text" } }, ["1.hours"]],
    [{ "1": { hours: -2, channel: "text" } }, ["1.hours"]],
    [{ "1": { hours: 1, channel: "fax" } }, ["1.channel"]],
    [{ "1": { hours: 1, channel: "text", voicemailEnabled: true } }, ["1.voicemailEnabled"]],
    [{ "1": { hours: 1, channel: "text", extra: 1 } }, ["1"]],
  ])("refuses %j at %j", (config, expected) => {
    const result = followUpConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(paths(result)).toEqual(expected);
  });
});

describe("followUpStepSchema", () => {
  it.each([1, 2, 17, -1, -2])("accepts %d", (n) =>
    expect(followUpStepSchema.safeParse(n).success).toBe(true),
  );
  it.each([0, -3, 1.5])("refuses %d", (n) => expect(followUpStepSchema.safeParse(n).success).toBe(false));
});

describe("checkFollowUpConfigUsable", () => {
  const abilities = { smsEnabled: true, emailEnabled: false, voiceEnabled: false };

  it("refuses call without voice, email without email enabled or address", () => {
    const issues = checkFollowUpConfigUsable(
      { "1": { hours: 1, channel: "call" }, "2": { hours: 1, channel: "email" } },
      abilities,
      null,
      "followUpConfig",
    );
    expect(issues.map((i) => i.path)).toEqual([
      "followUpConfig.1.channel",
      "followUpConfig.2.channel",
      "followUpConfig.2.channel",
    ]);
  });

  it("accepts email when enabled and the lead has an address", () => {
    const issues = checkFollowUpConfigUsable(
      { "1": { hours: 1, channel: "email" } },
      { ...abilities, emailEnabled: true },
      "a@example.com",
      "followUpConfig",
    );
    expect(issues).toEqual([]);
  });
});
