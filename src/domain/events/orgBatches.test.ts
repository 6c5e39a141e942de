import { describe, expect, it } from "vitest";
import { OrgBatches } from "./orgBatches.js";

/** A writer that notes each batch and can be told to refuse batches or items. */
function recorder(refuse: { batchesOver?: number; item?: string } = {}) {
  const batches: { orgId: string; items: string[] }[] = [];
  const alone: string[] = [];
  let release: (() => void) | undefined;
  const held = { hold: false };
  const writer = {
    async write(orgId: string, items: string[]) {
      batches.push({ orgId, items });
      if (held.hold) await new Promise<void>((resolve) => (release = resolve));
      if (refuse.batchesOver !== undefined && items.length > refuse.batchesOver)
        throw new Error("refused batch");
      return items.map((item) => `${orgId}:${item}`);
    },
    async writeAlone(orgId: string, item: string) {
      alone.push(item);
      if (item === refuse.item) throw new Error(`refused ${item}`);
      return `${orgId}:${item}:alone`;
    },
  };
  return { writer, batches, alone, held, release: () => release?.() };
}

describe("OrgBatches", () => {
  it("writes what arrives in one turn as one batch per org, answering each item", async () => {
    const r = recorder();
    const batches = new OrgBatches(10, r.writer);
    const answers = await Promise.all([
      batches.add("o1", "a"),
      batches.add("o2", "x"),
      batches.add("o1", "b"),
    ]);
    expect(answers).toEqual(["o1:a", "o2:x", "o1:b"]);
    expect(r.batches).toEqual([
      { orgId: "o1", items: ["a", "b"] },
      { orgId: "o2", items: ["x"] },
    ]);
  });

  it("keeps one batch of an org in flight; what arrives meanwhile goes in the next, split at the maximum", async () => {
    const r = recorder();
    r.held.hold = true;
    const batches = new OrgBatches(2, r.writer);
    const first = batches.add("o1", "a");
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([{ orgId: "o1", items: ["a"] }]);
    const later = ["b", "c", "d"].map((item) => batches.add("o1", item));
    await new Promise((resolve) => setImmediate(resolve));
    // Still one in flight: nothing more was written while it was.
    expect(r.batches).toHaveLength(1);
    r.held.hold = false;
    r.release();
    expect(await Promise.all([first, ...later])).toEqual(["o1:a", "o1:b", "o1:c", "o1:d"]);
    expect(r.batches.map((b) => b.items)).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  it("writes each item of a refused batch alone, so only the item at fault fails", async () => {
    const r = recorder({ batchesOver: 1, item: "bad" });
    const batches = new OrgBatches(10, r.writer);
    const settled = await Promise.allSettled(["a", "bad", "c"].map((item) => batches.add("o1", item)));
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : String(s.reason)))).toEqual([
      "o1:a:alone",
      "Error: refused bad",
      "o1:c:alone",
    ]);
    expect(r.alone).toEqual(["a", "bad", "c"]);
  });

  it("gives a lone item its batch's error without writing it again", async () => {
    const r = recorder({ batchesOver: 0 });
    const batches = new OrgBatches(10, r.writer);
    await expect(batches.add("o1", "a")).rejects.toThrow("refused batch");
    expect(r.alone).toEqual([]);
  });
});
