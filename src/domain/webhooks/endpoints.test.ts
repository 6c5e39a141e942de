import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../events/catalog.js";
import { createEndpointSchema, eventFilterSchema } from "./endpointInput.js";
import { generateSecret, secretPrefix, secretProblem } from "./secrets.js";
import { signingKey } from "./signature.js";

describe("generateSecret", () => {
  it("is whsec_ + base64 of 32 random bytes, different every time", () => {
    const secrets = new Set(Array.from({ length: 50 }, generateSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(signingKey(secret)).toHaveLength(32);
      expect(secretProblem(secret)).toBeUndefined();
    }
  });
});

describe("secretProblem", () => {
  const whsec = (bytes: number) => `whsec_${randomBytes(bytes).toString("base64")}`;

  it.each([
    ["whsec_ with 24 bytes", whsec(24)],
    ["whsec_ with 64 bytes", whsec(64)],
    ["16 printable characters", "abcdefghijklmnop"],
    ["128 printable characters", "!~".repeat(64)],
    ["a legacy secret with symbols", "my-S3cret_key/with+symbols=="],
  ])("accepts %s", (_name, secret) => {
    expect(secretProblem(secret)).toBeUndefined();
  });

  it.each([
    ["whsec_ with 23 bytes", whsec(23)],
    ["whsec_ with 65 bytes", whsec(65)],
    ["whsec_ with non-base64 text", "whsec_this is not base64 at all!!"],
    ["whsec_ with unpadded base64", whsec(32).replace(/=+$/, "")],
    ["whsec_ alone", "whsec_"],
    ["15 characters", "abcdefghijklmno"],
    ["129 characters", "a".repeat(129)],
    ["a space", "abcdefgh ijklmnop"],
    ["a tab", "abcdefgh\tijklmnop"],
    ["non-ASCII", "abcdefghijklmnoé"],
  ])("refuses %s", (_name, secret) => {
    expect(secretProblem(secret)).toEqual(expect.any(String));
  });
});

describe("secretPrefix", () => {
  it("shows the first 10 characters and an ellipsis", () => {
    expect(secretPrefix("whsec_abcdefghijkl")).toBe("whsec_abcd…");
  });
});

describe("eventFilterSchema", () => {
  it('accepts ["*"] and any distinct subset of the catalog', () => {
    expect(eventFilterSchema.parse(["*"])).toEqual(["*"]);
    expect(eventFilterSchema.parse([...EVENT_TYPES])).toEqual([...EVENT_TYPES]);
    expect(eventFilterSchema.parse(["optOut"])).toEqual(["optOut"]);
  });

  it.each([
    [[], ""],
    [["*", "optOut"], ""],
    [["optOut", "message.snet"], "1"],
    [["optOut", "optOut"], "1"],
    [["call.completed"], "0"],
  ])("refuses %j at path %j", (events, path) => {
    const result = eventFilterSchema.safeParse(events);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("defaults to every event on create", () => {
    expect(createEndpointSchema.parse({ url: "https://example.com/hook" })).toMatchObject({
      events: ["*"],
      enabled: true,
      rateLimitPerSecond: null,
    });
  });
});
