import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { ZodApp } from "./types.js";

/**
 * Where `vite build` puts the web app: next to the built server (dist/http/webApp.js → dist/web/),
 * or, when the server runs from its TypeScript source (tests), the build in dist/web/.
 */
const CANDIDATES = [new URL("../web/", import.meta.url), new URL("../../dist/web/", import.meta.url)];

/** Paths that belong to the server; an unknown path under them stays a JSON 404, never the app. */
const SERVER_PATHS = [
  "/v1",
  "/inbound",
  "/unsubscribe",
  "/docs",
  "/openapi.json",
  "/healthz",
  "/readyz",
  "/metrics",
  "/assets",
];

const isServerPath = (path: string) => SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/** The app's page may load only this origin's scripts, styles and API; nobody may frame it. */
const PAGE_HEADERS = {
  "cache-control": "no-cache",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export function webAppDirectory(): string | undefined {
  for (const candidate of CANDIDATES) {
    const dir = fileURLToPath(candidate);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/**
 * Serves the built web app at `/`: its files as they are (hashed assets cached for a year), and
 * index.html for any other GET outside the server's own paths, so a reload of `/leads/…` works.
 * Without a build (`root` undefined: tests that run before `npm run build`) nothing is registered.
 */
export async function registerWebApp(app: ZodApp, root: string | undefined): Promise<void> {
  if (root === undefined) {
    app.log.debug("no web app build found (run npm run build); serving the API only");
    return;
  }
  const assets = `${root}${root.endsWith("/") ? "" : "/"}assets/`;
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root,
      prefix: "/",
      // One route per built file, so a path that is not a file reaches the fallback below.
      wildcard: false,
      cacheControl: false,
      setHeaders(res, path) {
        if (path.startsWith(assets)) {
          res.setHeader("cache-control", "public, max-age=31536000, immutable");
          res.setHeader("x-content-type-options", "nosniff");
        } else {
          for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
        }
      },
    });
    scope.get("/*", { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split("?")[0] ?? "/";
      if (isServerPath(path)) return reply.callNotFound();
      return reply.sendFile("index.html");
    });
  });
}
