import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installErrorHandling } from "./errorHandler.js";
import type { ZodApp } from "./types.js";
import { registerWebApp } from "./webApp.js";

const INDEX = '<!doctype html><div id="root"></div>';

async function server(root: string | undefined): Promise<ZodApp> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>() as unknown as ZodApp;
  installErrorHandling(app);
  app.get("/healthz", async () => ({ status: "ok" }));
  await app.register(async (v1) => v1.get("/leads", async () => ({ leads: [] })), { prefix: "/v1" });
  await registerWebApp(app, root);
  await app.ready();
  return app;
}

describe("the web app at /", () => {
  let root: string;
  let app: ZodApp;

  beforeAll(async () => {
    root = `${mkdtempSync(join(tmpdir(), "leadwire-web-"))}/`;
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), INDEX);
    writeFileSync(join(root, "assets", "index-abc123.js"), "console.log(1);");
    app = await server(root);
  });

  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves index.html at / and for the app's own paths, never cached, framed or sniffed", async () => {
    for (const url of ["/", "/leads", "/leads/0190c1e2-7d4a-7b3c-9f00-000000000001?after=x", "/profiles"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
  });

  it("serves hashed assets with a year of caching", async () => {
    const res = await app.inject({ method: "GET", url: "/assets/index-abc123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("keeps the server's paths: API routes answer, unknown ones stay JSON 404s", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/leads" })).json()).toEqual({ leads: [] });
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    for (const url of [
      "/v1/nope",
      "/v1",
      "/docs/nope",
      "/inbound/email/x",
      "/unsubscribe/x",
      "/assets/gone.js",
    ]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ code: "NOT_FOUND" });
    }
    const post = await app.inject({ method: "POST", url: "/leads" });
    expect(post.statusCode).toBe(404);
  });

  it("registers nothing when there is no build", async () => {
    const bare = await server(undefined);
    expect((await bare.inject({ method: "GET", url: "/" })).statusCode).toBe(404);
    expect((await bare.inject({ method: "GET", url: "/v1/leads" })).statusCode).toBe(200);
    await bare.close();
  });
});
