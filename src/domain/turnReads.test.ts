import { describe, expect, it } from "vitest";
import { TurnReads } from "./turnReads.js";

/** A read that counts its calls and answers from a value that can change between turns. */
function counted(values: Map<string, string>) {
  const calls: string[] = [];
  const reads = new TurnReads(async (key) => {
    calls.push(key);
    const value = values.get(key);
    if (value === undefined) throw new Error(`no ${key}`);
    return value;
  });
  return { calls, reads };
}

describe("reads shared per turn", () => {
  it("reads each key once for all who ask in the same turn", async () => {
    const { calls, reads } = counted(
      new Map([
        ["org_a", "A"],
        ["org_b", "B"],
      ]),
    );
    const answers = await Promise.all(
      ["org_a", "org_b", "org_a", "org_a", "org_b"].map((k) => reads.load(k)),
    );
    expect(answers).toEqual(["A", "B", "A", "A", "B"]);
    expect(calls.sort()).toEqual(["org_a", "org_b"]);
  });

  it("keeps nothing: a read in a later turn sees what changed since", async () => {
    const values = new Map([["org_a", "before"]]);
    const { calls, reads } = counted(values);
    expect(await reads.load("org_a")).toBe("before");
    values.set("org_a", "after");
    expect(await reads.load("org_a")).toBe("after");
    expect(calls).toEqual(["org_a", "org_a"]);
  });

  it("fails only the callers of a key whose read failed", async () => {
    const { reads } = counted(new Map([["org_a", "A"]]));
    const outcomes = await Promise.allSettled([
      reads.load("org_a"),
      reads.load("org_gone"),
      reads.load("org_a"),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(outcomes[1]).toMatchObject({ reason: { message: "no org_gone" } });
  });
});
