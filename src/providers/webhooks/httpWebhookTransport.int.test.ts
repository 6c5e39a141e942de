import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpWebhookTransport } from "./httpWebhookTransport.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A loopback server answering every request with `handle`. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`;
}

const transport = () =>
  createHttpWebhookTransport({
    timeoutMs: 500,
    allowPrivateTargets: true,
    userAgent: "Leadwire-Webhooks/test",
    connectionsPerOrigin: 4,
  });

describe("the HTTP webhook transport", () => {
  it("posts the body and headers as given, to the path and query of the URL", async () => {
    let seen: { method?: string; url?: string; headers?: Record<string, unknown>; body?: string } = {};
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        res.end("ok");
      });
    });
    const t = transport();
    const res = await t.post({ url, body: '{"a":"é🚀"}', headers: { "webhook-id": "abc" } });
    expect(res).toMatchObject({ statusCode: 200, body: "ok", error: null, timedOut: false });
    expect(seen).toMatchObject({
      method: "POST",
      url: "/hook?x=1",
      body: '{"a":"é🚀"}',
      headers: {
        "webhook-id": "abc",
        "content-type": "application/json",
        "user-agent": "Leadwire-Webhooks/test",
      },
    });
    await t.close();
  });

  it("keeps the first 4 KiB of a long answer, and stops reading a huge streamed one", async () => {
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(req.headers["webhook-id"] === "huge" ? 503 : 200);
        if (req.headers["webhook-id"] === "huge") {
          // 10 MiB without a content-length, in 64 KiB chunks.
          const chunk = "y".repeat(65_536);
          let sent = 0;
          const more = () => {
            while (sent < 160 && res.write(chunk)) sent++;
            if (sent >= 160) res.end();
            else res.once("drain", more);
          };
          more();
        } else {
          res.end(`${"a".repeat(4000)}${"b".repeat(4000)}`);
        }
      });
    });
    const t = transport();
    const long = await t.post({ url, body: "{}", headers: { "webhook-id": "long" } });
    expect(long.statusCode).toBe(200);
    expect(long.body).toBe(`${"a".repeat(4000)}${"b".repeat(96)}`);
    const huge = await t.post({ url, body: "{}", headers: { "webhook-id": "huge" } });
    expect(huge).toMatchObject({ statusCode: 503, error: null });
    expect(huge.body).toBe("y".repeat(4096));
    await t.close();
  });

  it("reports Retry-After, and a timeout as timed out with no status", async () => {
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.headers["webhook-id"] === "slow") return; // never answers
        res.writeHead(429, { "retry-after": "120" });
        res.end();
      });
    });
    const t = transport();
    expect(await t.post({ url, body: "{}", headers: { "webhook-id": "busy" } })).toMatchObject({
      statusCode: 429,
      retryAfter: "120",
      body: "",
    });
    const slow = await t.post({ url, body: "{}", headers: { "webhook-id": "slow" } });
    expect(slow).toMatchObject({ statusCode: null, body: null, timedOut: true });
    expect(slow.error).toMatch(/timeout/i);
    await t.close();
  });

  it("refuses a literal private address unless allowed, without connecting", async () => {
    const t = createHttpWebhookTransport({
      timeoutMs: 500,
      allowPrivateTargets: false,
      userAgent: "Leadwire-Webhooks/test",
      connectionsPerOrigin: 4,
    });
    expect(await t.post({ url: "http://127.0.0.1:9/hook", body: "{}", headers: {} })).toMatchObject({
      statusCode: null,
      error: "refused: 127.0.0.1 is not a public address",
    });
    await t.close();
  });
});
