// Webhook delivery throughput and latency, beside the raw ceiling measured in the same run.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { Agent, request } from "undici";
import { createApp } from "../dist/app.js";
import { loadConfig } from "../dist/config.js";
import { additionalInfoUpdatedData } from "../dist/domain/events/catalog.js";
import { inTransaction } from "../dist/domain/events/transaction.js";
import { hashApiKey } from "../dist/domain/orgs/apiKeys.js";
import { signatureHeaders } from "../dist/domain/webhooks/signature.js";
import { newId } from "../dist/ids.js";
import { startProfile } from "./profile.mjs";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const CONCURRENCY = 50;

export async function startReceiver(env = {}) {
  const child = fork(new URL("./receiver.mjs", import.meta.url), { env: { ...process.env, ...env } });
  const port = await new Promise((resolve) => child.once("message", (m) => resolve(m.port)));
  const ask = (type) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m.type === type) {
          child.off("message", on);
          resolve(m);
        }
      };
      child.on("message", on);
      child.send({ type });
    });
  const stop = () =>
    new Promise((resolve) => {
      child.once("exit", resolve);
      child.send({ type: "exit" });
    });
  return { url: `http://127.0.0.1:${port}/hook`, ask, stop };
}

/** The ceiling: a plain undici loop posting identical signed bodies, `CONCURRENCY` in flight. */
export async function rawCeiling(url, total, body) {
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
  const eventId = randomBytes(16).toString("hex");
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      next++;
      const headers = signatureHeaders(body, eventId, Math.floor(Date.now() / 1000), [SECRET]);
      const res = await request(url, {
        method: "POST",
        dispatcher: agent,
        headers: { ...headers, "content-type": "application/json" },
        body,
      });
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await agent.close();
  return { perSecond: total / seconds, cpuUsPerRequest: (used.user + used.system) / total };
}

export async function freshDatabaseEnv(kind) {
  if (kind === "sqlite") {
    const file = join(tmpdir(), `leadwire-bench-${randomBytes(4).toString("hex")}.sqlite`);
    return { env: { DATABASE_URL: `sqlite:${file}` }, drop: async () => rmSync(file, { force: true }) };
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  return {
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/**
 * An api-role app on a fresh database whose bootstrap key is `key`, and that key's org: for the
 * benchmarks that seed rows straight into the database and time HTTP requests.
 */
export async function startKeyedBenchApp(kind, key) {
  const database = await freshDatabaseEnv(kind);
  const config = loadConfig({
    ...database.env,
    LOG_LEVEL: "error",
    PORT: "0",
    BOOTSTRAP_API_KEY: key,
    API_RATE_LIMIT_PER_MINUTE: "0",
    PATH: process.env.PATH,
  });
  const app = await createApp(config, { role: "api" });
  const { org_id: orgId } = await app.database.db
    .selectFrom("api_keys")
    .select("org_id")
    .where("key_hash", "=", hashApiKey(key))
    .executeTakeFirstOrThrow();
  return { database, app, orgId };
}

/** The benchmark's org, straight into the database. */
export async function insertBenchOrg(db, now) {
  const orgId = newId("org");
  await db
    .insertInto("orgs")
    .values({
      id: orgId,
      name: "bench",
      lead_limit: null,
      inbound_token: randomBytes(8).toString("hex"),
      created_at: now,
    })
    .execute();
  return orgId;
}

/** One enabled endpoint for `events` at the receiver, `CONCURRENCY` requests in flight. */
export async function insertBenchEndpoint(db, orgId, url, events, now) {
  await db
    .insertInto("webhook_endpoints")
    .values({
      id: newId("whe"),
      org_id: orgId,
      url,
      description: null,
      events: JSON.stringify(events),
      secret: SECRET,
      previous_secret: null,
      previous_secret_expires_at: null,
      enabled: 1,
      disabled_reason: null,
      disabled_at: null,
      max_concurrency: CONCURRENCY,
      rate_limit_per_second: null,
      failing_since: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

async function setUp(kind, receiverUrl) {
  const database = await freshDatabaseEnv(kind);
  const config = loadConfig({
    ...database.env,
    LOG_LEVEL: "error",
    PORT: "0",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    PATH: process.env.PATH,
  });
  const app = await createApp(config, { role: "all" });
  const now = new Date().toISOString();
  const orgId = await insertBenchOrg(app.database.db, now);
  await insertBenchEndpoint(app.database.db, orgId, receiverUrl, ["*"], now);
  return { app, orgId, drop: database.drop };
}

function eventData(n) {
  return additionalInfoUpdatedData({
    lead: {
      leadId: "0193a5f0-0000-7000-8000-000000000000",
      phone: "+12025550189",
      externalLeadId: "003XX000004DHPY",
    },
    changes: { step: { old: n - 1, new: n }, note: { old: null, new: "Bonjour 👋 こんにちは" } },
  });
}

/** Commits `total` events (with their deliveries) through the real outbox path, 500 per transaction. */
async function commitEvents(app, orgId, total) {
  for (let done = 0; done < total; done += 500) {
    await inTransaction(app.ctx, async (_tx, emit) => {
      for (let i = done; i < Math.min(total, done + 500); i++) {
        await emit({ orgId, leadId: null, type: "lead.additionalInfo.updated", data: eventData(i) });
      }
    });
  }
}

async function waitForCount(receiver, total) {
  for (;;) {
    const { count } = await receiver.ask("count");
    if (count >= total) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Deliveries per second from committed events to the receiver, dispatcher started afterwards. */
export async function leadwireThroughput(kind, receiver, total) {
  const { app, orgId, drop } = await setUp(kind, receiver.url);
  // Warm up as the raw loop does (connections open, code compiled): 2,000 deliveries first.
  await receiver.ask("reset");
  await commitEvents(app, orgId, 2000);
  app.webhooks.start();
  await waitForCount(receiver, 2000);
  await app.webhooks.stop();
  await commitEvents(app, orgId, total);
  await receiver.ask("reset");
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const stopProfile = await startProfile();
  const cpu = process.cpuUsage();
  const started = performance.now();
  app.webhooks.start();
  await waitForCount(receiver, total);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await stopProfile(`webhooks-${kind}`);
  clearInterval(sampler);
  await app.close();
  await drop();
  return {
    perSecond: total / seconds,
    // The sending process's CPU time (all threads) per delivery: steadier than a rate on a shared VM.
    cpuUsPerDelivery: (used.user + used.system) / total,
    peakRssMb: Math.round(peakRss / 1048576),
  };
}

/** Commit → receiver latency at idle: one event at a time, dispatcher already waiting. */
export async function idleLatency(kind, samples) {
  const receiver = await startReceiver({ RECORD_ARRIVALS: "1" });
  const { app, orgId, drop } = await setUp(kind, receiver.url);
  app.webhooks.start();
  const committed = new Map();
  // Warm-up (first connection, JIT) is not idle steady state: 20 events sent and not counted.
  const WARMUP = 20;
  for (let i = 0; i < samples + WARMUP; i++) {
    const id = await inTransaction(app.ctx, (_tx, emit) =>
      emit({ orgId, leadId: null, type: "lead.additionalInfo.updated", data: eventData(i) }),
    );
    if (i >= WARMUP) committed.set(id, performance.timeOrigin + performance.now());
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500));
  const { arrivals } = await receiver.ask("arrivals");
  const latencies = arrivals
    .filter(([id]) => committed.has(id))
    .map(([id, at]) => at - (committed.get(id) ?? at))
    .sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  await app.close();
  await drop();
  await receiver.stop();
  return { samples: latencies.length, p50: pick(0.5), p99: pick(0.99), max: latencies.at(-1) };
}

export const sampleBody = JSON.stringify({
  event: "lead.additionalInfo.updated",
  data: eventData(1),
  timestamp: "2024-01-15T14:30:00Z",
});
