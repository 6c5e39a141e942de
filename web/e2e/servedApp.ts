import { createServer } from "node:net";
import { webAppDirectory } from "../../src/http/webApp.js";
import { startTestApp, type TestApp } from "../../test/harness.js";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The API role on a real port, serving the built web app. PUBLIC_URL is this origin, so the
 * session cookie's Origin check sees the browser's requests as same-origin.
 * `env` adds settings (e.g. `WEBHOOK_ALLOW_PRIVATE_TARGETS` for a loopback receiver).
 */
export async function startServedApp(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; origin: string }> {
  if (webAppDirectory() === undefined) {
    throw new Error("No web app build in dist/web: run `npm run build` before the browser tests.");
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t = await startTestApp({
    role: "api",
    realTime: true,
    env: { ...env, PORT: String(port), PUBLIC_URL: origin },
  });
  await t.app.http.listen({ port, host: "127.0.0.1" });
  return { t, origin };
}
