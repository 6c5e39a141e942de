import { describe, expect, it } from "vitest";
import { z } from "zod";
import { thrown } from "../../test/thrown.js";
import { CorruptRowError, jsonColumn } from "./jsonColumn.js";

const keys = jsonColumn("profiles", "extract_keys", z.array(z.string().max(5)));

const failure = (run: () => unknown) => thrown(CorruptRowError, run);

describe("jsonColumn", () => {
  it("reads a good row: parsed and checked", () => {
    expect(keys.read('["plan","city"]', "prf_1")).toEqual(["plan", "city"]);
    expect(keys.table).toBe("profiles");
    expect(keys.column).toBe("extract_keys");
  });

  it("reads SQL NULL as null in a nullable column, and checks the rest", () => {
    expect(keys.readNullable(null, "prf_1")).toBeNull();
    expect(keys.readNullable('["a"]', "prf_1")).toEqual(["a"]);
    expect(() => keys.readNullable("[1]", "prf_1")).toThrow(CorruptRowError);
  });

  it("names the table, column and row of text that is not JSON, without quoting it", () => {
    const error = failure(() => keys.read('["secret-value"', "prf_7"));
    expect(error).toMatchObject({ name: "CorruptRowError", table: "profiles", column: "extract_keys" });
    expect(error.rowId).toBe("prf_7");
    expect(error.message).toBe("Corrupt stored JSON in profiles.extract_keys, row prf_7: not valid JSON");
    expect(error.message).not.toContain("secret-value");
  });

  it("names where a row breaks its schema, and which rule, without the values", () => {
    const error = failure(() => keys.read('["fine", 42, "much-too-long"]', "prf_8"));
    expect(error.message).toMatch(/^Corrupt stored JSON in profiles\.extract_keys, row prf_8: 1: .+; 2: .+$/);
    expect(error.message).not.toContain("much-too-long");
  });

  it("names the root when the whole value has the wrong type, and counts issues past three", () => {
    expect(failure(() => keys.read('{"a":1}', "prf_9")).message).toMatch(/row prf_9: \(root\): /);
    expect(failure(() => keys.read("[1,2,3,4,5]", "prf_9")).message).toMatch(/; and 2 more$/);
  });

  it("is an internal error, not one the HTTP layer maps to a 4xx", () => {
    const error = failure(() => keys.read("nope", "prf_1"));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toHaveProperty("statusCode");
    expect(error).not.toHaveProperty("code");
  });
});
