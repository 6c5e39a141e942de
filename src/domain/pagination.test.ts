import { describe, expect, it } from "vitest";
import { thrown } from "../../test/thrown.js";
import { DomainError } from "./errors.js";
import { decodePosition, encodePosition } from "./pagination.js";

const token = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

describe("page tokens", () => {
  it("round-trip the position they were minted with", () => {
    const position = { t: "2024-01-15T14:30:00.000Z", s: 7, id: "lead_1" };
    expect(decodePosition(encodePosition("events", position), "events")).toEqual(position);
  });

  it("read a token minted before positions existed (or with a bad one) at position 0", () => {
    expect(decodePosition(token({ k: "events", t: "T", id: "x" }), "events")).toEqual({
      t: "T",
      s: 0,
      id: "x",
    });
    expect(decodePosition(token({ k: "events", t: "T", s: "7", id: "x" }), "events")).toEqual({
      t: "T",
      s: 0,
      id: "x",
    });
  });

  it.each([
    ["another listing's token", encodePosition("timeline", { t: "T", id: "x" })],
    ["not base64url JSON", "!!not a token!!"],
    ["JSON that is not an object", token(["events", "T", "x"])],
    ["JSON null", token(null)],
    ["a position without its id", token({ k: "events", t: "T" })],
    ["a time that is not a string", token({ k: "events", t: 1, id: "x" })],
  ])("refuse %s: a 400 naming nextToken, never a 500", (_, bad) => {
    const error = thrown(DomainError, () => decodePosition(bad, "events"));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toEqual([
      { path: "nextToken", message: "is not a token from this listing (keep the same filters when paging)" },
    ]);
  });
});
