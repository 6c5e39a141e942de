import { describe, expect, it } from "vitest";
import { searchTextOf } from "./searchText.js";

describe("searchTextOf", () => {
  it("has nothing to search for in a blank text", () => {
    expect(searchTextOf(undefined)).toBeNull();
    expect(searchTextOf("   ")).toBeNull();
  });

  it("lowercases, collapses spaces and escapes LIKE wildcards", () => {
    expect(searchTextOf("  Pat   DOE ")).toEqual({ contains: "%pat doe%", phoneDigits: null });
    expect(searchTextOf("50%_off\\")).toEqual({ contains: "%50\\%\\_off\\\\%", phoneDigits: null });
  });

  it("matches phone digits only for a phone-like text with at least 3 digits", () => {
    expect(searchTextOf("+1 (202) 555-0142")?.phoneDigits).toBe("%12025550142%");
    expect(searchTextOf("555.01")?.phoneDigits).toBe("%55501%");
    expect(searchTextOf("55")?.phoneDigits).toBeNull();
    expect(searchTextOf("Lead 555")?.phoneDigits).toBeNull();
  });
});
