import { describe, expect, it } from "vitest";
import { mergeAdditionalInfo } from "./additionalInfo.js";

describe("mergeAdditionalInfo", () => {
  it("adds new keys, replaces existing ones and removes keys set to null", () => {
    const { merged, changes } = mergeAdditionalInfo(
      { budget: 100, city: "Paris", source: "web" },
      { budget: 200, city: null, plan: "pro" },
    );
    expect(merged).toEqual({ budget: 200, source: "web", plan: "pro" });
    expect(changes).toEqual({
      budget: { old: 100, new: 200 },
      city: { old: "Paris", new: null },
      plan: { old: null, new: "pro" },
    });
  });

  it("reports nothing for unchanged values, deep-equal objects and removals of absent keys", () => {
    const { merged, changes } = mergeAdditionalInfo(
      { tags: ["a", "b"], nested: { x: 1 } },
      { tags: ["a", "b"], nested: { x: 1 }, missing: null },
    );
    expect(merged).toEqual({ tags: ["a", "b"], nested: { x: 1 } });
    expect(changes).toEqual({});
  });

  it("treats a changed nested object as a replacement of the whole key", () => {
    const { changes } = mergeAdditionalInfo({ nested: { x: 1, y: 2 } }, { nested: { x: 1 } });
    expect(changes).toEqual({ nested: { old: { x: 1, y: 2 }, new: { x: 1 } } });
  });

  it("does not mutate its inputs", () => {
    const current = { a: 1 };
    const patch = { a: null, b: 2 };
    mergeAdditionalInfo(current, patch);
    expect(current).toEqual({ a: 1 });
    expect(patch).toEqual({ a: null, b: 2 });
  });
});
