import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { parseOpenApiDocument } from "../../../../test/openApiDocument.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("operator endpoints", () => {
  it("GET /healthz and /readyz answer without a key", async () => {
    expect(await t.request("GET", "/healthz", { key: null })).toMatchObject({
      status: 200,
      body: { status: "ok" },
    });
    expect(await t.request("GET", "/readyz", { key: null })).toMatchObject({
      status: 200,
      body: { status: "ready" },
    });
  });

  it("GET /openapi.json is generated from the route schemas", async () => {
    const res = await t.request("GET", "/openapi.json", { key: null });
    expect(res.status).toBe(200);
    const doc = parseOpenApiDocument(res.body);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/leads/create", "/v1/leads/{leadId}", "/v1/profiles", "/v1/api-keys"]),
    );
    const create = doc.paths["/v1/leads/create"]?.post?.requestBody;
    expect(JSON.stringify(create)).toContain("customerProfile");
  });

  it("GET /docs serves the API docs UI", async () => {
    const res = await t.app.http.inject({ method: "GET", url: "/docs/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
  });

  it("answers unknown routes with the JSON error body", async () => {
    const res = await t.request("GET", "/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers 415 for a body that is not JSON", async () => {
    const res = await t.app.http.inject({
      method: "POST",
      url: "/v1/profiles",
      headers: { "x-api-key": "lw_test_admin_key_0123456789abcdef", "content-type": "text/plain" },
      payload: "name=P",
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });
});
