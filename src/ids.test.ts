import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { newEventId, newId, newLeadId } from "./ids.js";

describe("ids", () => {
  it("makes valid version-7 UUIDs for leads", () => {
    const id = newLeadId();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
  });

  it("keeps the order of creation in a tight loop (many ids per millisecond), with no repeats", () => {
    // 20,000 ids span several refills of the random pool and many ids within one millisecond.
    const ids = Array.from({ length: 20_000 }, () => newLeadId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("writes event ids as 32 lowercase hex characters and own ids with their prefix", () => {
    expect(newEventId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newId("whd")).toMatch(/^whd_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });

  it("puts the current time in the first 48 bits", () => {
    const before = Date.now();
    const ms = Number.parseInt(newEventId().slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });
});
