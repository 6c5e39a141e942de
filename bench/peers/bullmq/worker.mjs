// The peer's webhook worker, in its own process: takes the BullMQ jobs server.mjs adds, signs each
// body as Leadwire does (src/domain/webhooks/signature.ts: X-Signature-SHA256 and Standard
// Webhooks) and POSTs it through an undici keep-alive pool. A non-2xx answer or a network error
// fails the attempt; BullMQ retries it (8 attempts, exponential backoff from 5 s).
//
// Environment: as server.mjs (PEER_DATABASE_URL, PEER_DATABASE_SCHEMA, PEER_REDIS_URL, PEER_QUEUE,
// PEER_PREFIX), and PEER_CONCURRENCY (default 50). Prints {"msg":"ready"} once it takes jobs.
import { createHmac, createSecretKey } from "node:crypto";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { Agent, request } from "undici";
import { openStore } from "./store.mjs";

const env = process.env;
const CONCURRENCY = Number(env.PEER_CONCURRENCY ?? 50);
const TIMEOUT_MS = 15_000;

// Only endpoint secrets are read here, through a cache: two connections are plenty.
const store = await openStore(2);
const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });

/** Each endpoint's URL and signing keys, read once and kept 30 s. */
const endpoints = new Map();
async function endpointOf(id) {
  const hit = endpoints.get(id);
  if (hit !== undefined && hit.until > Date.now()) return hit;
  const row = await store.endpoint(id);
  if (row === undefined) return undefined;
  const secret = row.secret;
  const standard = secret.startsWith("whsec_")
    ? Buffer.from(secret.slice("whsec_".length), "base64")
    : Buffer.from(secret, "utf8");
  const entry = {
    enabled: row.enabled,
    legacy: createSecretKey(Buffer.from(secret, "utf8")),
    standard: createSecretKey(standard),
    until: Date.now() + 30_000,
  };
  endpoints.set(id, entry);
  return entry;
}

async function deliver(job) {
  const { endpointId, url, eventId, body } = job.data;
  const endpoint = await endpointOf(endpointId);
  if (endpoint === undefined || !endpoint.enabled) return "skipped";
  const timestamp = Math.floor(Date.now() / 1000);
  const standard = createHmac("sha256", endpoint.standard)
    .update(`${eventId}.${timestamp}.${body}`, "utf8")
    .digest("base64");
  const res = await request(url, {
    method: "POST",
    dispatcher: agent,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    headers: {
      "content-type": "application/json",
      "x-signature-sha256": createHmac("sha256", endpoint.legacy).update(body, "utf8").digest("hex"),
      "webhook-id": eventId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${standard}`,
    },
    body,
  });
  await res.body.dump();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
  return res.statusCode;
}

const worker = new Worker(env.PEER_QUEUE ?? "webhooks", deliver, {
  connection: new Redis(env.PEER_REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null }),
  prefix: env.PEER_PREFIX ?? "bull",
  concurrency: CONCURRENCY,
});
worker.on("error", (error) => process.stderr.write(`worker error: ${error?.stack ?? error}\n`));
worker.on("failed", (job, error) =>
  process.stderr.write(`job ${job?.id} attempt ${job?.attemptsMade} failed: ${error?.message}\n`),
);
await worker.waitUntilReady();

const shutdown = async () => {
  await worker.close();
  await agent.close();
  await store.close();
  process.exit(0);
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
process.stdout.write(`${JSON.stringify({ msg: "ready" })}\n`);
