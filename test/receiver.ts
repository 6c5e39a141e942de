import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  /** The exact bytes received. */
  body: Buffer;
  /** performance.now() when the request was complete. */
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering; Infinity never answers. */
  delayMs?: number;
}

/** A real HTTP receiver on loopback that records every request and answers as told. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Decides the reply to each request (default 200 "ok"). */
  reply: (request: Received, index: number) => Reply;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(reply?: Receiver["reply"]): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<() => void>();
  let server: Server | undefined;
  const receiver: Receiver = {
    url: "",
    received,
    reply: reply ?? (() => ({ status: 200, body: "ok" })),
    waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} of ${count} requests`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close() {
      for (const release of hanging) release();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: Received = { headers: req.headers, body: Buffer.concat(chunks), at: performance.now() };
      const index = received.push(entry) - 1;
      for (const w of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const r = receiver.reply(entry, index);
      const answer = () => {
        res.writeHead(r.status, r.headers ?? {});
        res.end(r.body ?? "");
      };
      if (r.delayMs === Number.POSITIVE_INFINITY) {
        const release = () => res.destroy();
        hanging.add(release);
        res.on("close", () => hanging.delete(release));
      } else if (r.delayMs) setTimeout(answer, r.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
