import { describe, expect, it } from "vitest";
import { complianceBlockReason } from "./complianceCheck.js";

describe("complianceBlockReason", () => {
  it("sends on allow, whatever the failure mode", () => {
    expect(complianceBlockReason({ decision: "allow" }, "block")).toBeUndefined();
    expect(complianceBlockReason({ decision: "allow" }, "allow")).toBeUndefined();
  });

  it("blocks on deny, whatever the failure mode, naming the service's reason", () => {
    const verdict = { decision: "deny", reason: "lead is on the state DNC list" } as const;
    expect(complianceBlockReason(verdict, "block")).toBe(
      "compliance check denied: lead is on the state DNC list",
    );
    expect(complianceBlockReason(verdict, "allow")).toBe(
      "compliance check denied: lead is on the state DNC list",
    );
  });

  it("blocks when unreachable and the org chose to block", () => {
    expect(
      complianceBlockReason({ decision: "unreachable", reason: "timed out after 3000 ms" }, "block"),
    ).toBe("compliance check unreachable (blocked by settings): timed out after 3000 ms");
  });

  it("sends when unreachable and the org chose to allow", () => {
    expect(
      complianceBlockReason({ decision: "unreachable", reason: "timed out after 3000 ms" }, "allow"),
    ).toBeUndefined();
  });
});
