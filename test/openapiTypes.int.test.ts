import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TYPES_FILE, generateApiTypes } from "../scripts/openapiTypes.mjs";
import { startTestApp, type TestApp } from "./harness.js";

/** Every `$ref` in `node` with the JSON path it sits at. */
function refsIn(node: unknown, path = "#"): { at: string; ref: string }[] {
  if (Array.isArray(node)) return node.flatMap((child, index) => refsIn(child, `${path}/${index}`));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, child]) =>
    key === "$ref" && typeof child === "string"
      ? [{ at: path, ref: child }]
      : refsIn(child, `${path}/${key}`),
  );
}

/** Whether a local reference (`#/components/schemas/X`, JSON Pointer escapes included) names a node of `document`. */
function resolves(document: unknown, ref: string): boolean {
  if (!ref.startsWith("#/")) return false;
  let node = document;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe("the OpenAPI document and web/src/api/openapi.d.ts", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.http.ready();
  });
  afterAll(() => t.close());

  it("resolves every $ref it holds, the recursive additionalInfo value included", async () => {
    const res = await t.request("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const refs = refsIn(res.body);
    const unresolved = refs.filter(({ ref }) => !resolves(res.body, ref));
    expect(unresolved).toEqual([]);
    // additionalInfo's values are any JSON, a recursive schema held once as a component.
    expect(refs.map(({ ref }) => ref)).toContain("#/components/schemas/JsonValueInput");
  });

  it("matches the committed types", async () => {
    const generated = await generateApiTypes(t.app.http.swagger());
    const committed = readFileSync(API_TYPES_FILE, "utf8");
    expect(committed, "web/src/api/openapi.d.ts is stale: run npm run api-types").toBe(generated);
  });
});
