import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TYPES_FILE, generateApiTypes } from "../scripts/openapiTypes.mjs";
import { startTestApp, type TestApp } from "./harness.js";

describe("web/src/api/openapi.d.ts", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.http.ready();
  });
  afterAll(() => t.close());

  it("matches the server's OpenAPI document", async () => {
    const generated = await generateApiTypes(t.app.http.swagger());
    const committed = readFileSync(API_TYPES_FILE, "utf8");
    expect(committed, "web/src/api/openapi.d.ts is stale: run npm run api-types").toBe(generated);
  });
});
