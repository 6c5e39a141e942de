// Black-box, API-driven benchmark (issue 14): users drive Leadwire over HTTP, one change at a time.
// Leadwire is started as the README says (`node dist/main.js start --role all`, a fresh SQLite file
// or PostgreSQL schema), its key comes from BOOTSTRAP_API_KEY, and everything else goes through
// its API: a profile, the SMS sender, one webhook endpoint at a receiver in another process
// (receiver.mjs), 200 leads. Then one client process (apiDrivenClient.mjs, one undici Agent, 32 in
// flight) PATCHes `additionalInfo` N times, each body with its own marker, and the receiver notes
// when each marker's webhook arrives. The same client drives, in the same run, the raw ceiling
// (the same bodies POSTed straight to the receiver) and the BullMQ peer (bench/peers/bullmq:
// Fastify + the same database, one BullMQ job per event, a worker process signing and POSTing).
//
//   node bench/apiDriven.mjs [--only sqlite|postgres] [--changes 4000[,20000]] [--runs 1]
//   BENCH_ONLY=api npm run bench        (3 runs; BENCH_API_RUNS, BENCH_API_CHANGES override)
//
// PostgreSQL is measured when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
import { execFileSync, fork, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const PEER_DIR = fileURLToPath(new URL("./peers/bullmq/", import.meta.url));
// The heap flag Leadwire's `npm start` passes (README: it keeps RSS close to the live heap), so
// peak RSS compares like with like.
const PEER_NODE_FLAGS = ["--max-old-space-size=1024"];
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const LEADS = 200;
const IN_FLIGHT = 32;
const WARMUP = 1000;
const PACED_RATE = 100;
const PACED_SECONDS = Number(process.env.BENCH_API_PACED_SECONDS ?? 20);
const CREATES = Number(process.env.BENCH_API_CREATES ?? 2000);
const SMS = Number(process.env.BENCH_API_SMS ?? 2000);
const SMS_TO = "+12025550100";
// Quick iterations may leave one out (BENCH_API_SYSTEMS=leadwire); the ratios need both.
const SYSTEMS = (process.env.BENCH_API_SYSTEMS ?? "leadwire,peer").split(",");
const TWILIO_ACCOUNT = `AC${"0".repeat(32)}`;
const EVENTS = ["lead.additionalInfo.updated", "message.received"];
const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const ms = (v) => (v === undefined || Number.isNaN(v) ? "–" : v < 10 ? `${v.toFixed(1)} ms` : `${fmt(v)} ms`);
const sec = (v) => (v < 1000 ? `${(v / 1000).toFixed(2)} s` : `${(v / 1000).toFixed(1)} s`);
const cpuMs = (v) => (v === undefined ? "–" : `${v.toFixed(2)} ms`);
const label = { sqlite: "SQLite", postgres: "PostgreSQL" };
const rand = () => randomBytes(4).toString("hex");

// ---------------------------------------------------------------- processes and /proc

const children = new Set();
/** Deliveries the receiver got twice: at-least-once allows them, but they are worth a note. */
const duplicates = [];
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
/** While the section runs, Ctrl-C still stops the servers it started (the exit handler above). */
function onSignal(signal) {
  process.stderr.write(`api bench: ${signal}, stopping (temporary databases may be left behind)\n`);
  process.exit(130);
}

/** utime + stime of a process, in ms (0 if it is gone). */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** A /proc/<pid>/status field in MB (VmHWM: peak resident memory). */
function statusMb(pid, field) {
  try {
    const kb = Number(
      new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1],
    );
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** The local ports of `pid`'s TCP connections to `port` (its PostgreSQL connections). */
function localPortsTo(pid, port) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {}
  }
  const ports = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9])) continue;
      if (Number.parseInt(f[2].split(":")[1], 16) === port)
        ports.push(Number.parseInt(f[1].split(":")[1], 16));
    }
  }
  return ports;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await check();
    if (state === true) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what} (${state})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Spawns a process and resolves once a stdout line satisfies `ready`; collects log problems. */
function launch(name, args, env, ready, problems, opts = {}) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    cwd: opts.cwd,
  });
  children.add(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  exited.then(() => children.delete(child));
  const started = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (ready(line)) resolve();
      else opts.onLine?.(line);
    });
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (!opts.ignoreStderr?.(line)) problems.push(`${name} stderr: ${line}`);
    });
    exited.then((code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), 180_000);
  started.finally(() => clearTimeout(timeout)).catch(() => undefined);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(killer);
  };
  return { child, pid: child.pid, started, exited, stop };
}

// ---------------------------------------------------------------- helpers: receiver, client, pg

/** Request/answer over IPC: the client answers {type:"done", id}; the receiver, its request's type. */
function messenger(child) {
  let nextId = 0;
  return (message) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const on = (m) => {
        if (m.type === "done" ? m.id !== id : m.type !== message.type) return;
        child.off("message", on);
        child.off("exit", gone);
        if (m.error) reject(new Error(m.error));
        else resolve(m);
      };
      const gone = (code) => reject(new Error(`child exited (${code})`));
      child.on("message", on);
      child.once("exit", gone);
      child.send({ ...message, id });
    });
}

async function startReceiver() {
  const child = fork(new URL("./receiver.mjs", import.meta.url), {
    env: { ...process.env, RECORD_MARKERS: "1" },
  });
  children.add(child);
  const port = await new Promise((resolve) => child.once("message", (m) => resolve(m.port)));
  const ask = messenger(child);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    ask,
    /** The arrival time of each marker of `phase`, by index. */
    async marks(phase) {
      const { repeats } = await ask({ type: "count" });
      if (repeats > 0) duplicates.push(`${repeats} webhooks arrived more than once (phase ${phase})`);
      const { marks } = await ask({ type: "marks" });
      const at = new Map();
      for (const [key, time] of marks) {
        const [p, i] = key.split("-");
        if (p === phase) at.set(Number(i), time);
      }
      return at;
    },
    async stop() {
      child.send({ type: "exit" });
      await new Promise((resolve) => child.once("exit", resolve));
      children.delete(child);
    },
  };
}

async function startClient() {
  const child = fork(new URL("./apiDrivenClient.mjs", import.meta.url));
  children.add(child);
  await new Promise((resolve) => child.once("message", resolve));
  const ask = messenger(child);
  return {
    async run(spec) {
      const { result } = await ask({ type: "run", spec });
      if (result.failures > 0)
        throw new Error(
          `${result.failures} requests failed, for example:\n  ${result.examples.join("\n  ")}`,
        );
      return result;
    },
    async stop() {
      child.send({ type: "exit" });
      await new Promise((resolve) => child.once("exit", resolve));
      children.delete(child);
    },
  };
}

function pgPort(url) {
  return Number(new URL(url).port || 5432);
}

/** CPU of the PostgreSQL backends serving `pids` (found by their client ports), per backend pid. */
async function pgBackends(admin, url, pids) {
  const ports = pids.flatMap((pid) => localPortsTo(pid, pgPort(url)));
  if (ports.length === 0) return new Map();
  const { rows } = await admin.query(
    "select pid from pg_stat_activity where client_port = any($1::int[]) and client_addr is not null",
    [ports],
  );
  return new Map(rows.map((r) => [r.pid, cpuOf(r.pid)]));
}

// ---------------------------------------------------------------- the systems under test

function redisAdmin(args) {
  return JSON.parse(
    execFileSync(process.execPath, [join(PEER_DIR, "admin.mjs"), ...args], {
      encoding: "utf8",
      cwd: PEER_DIR,
    }),
  );
}

function ensurePeerInstalled() {
  if (existsSync(join(PEER_DIR, "node_modules", "bullmq"))) return;
  process.stderr.write("bench/peers/bullmq: installing its dependencies (npm ci) …\n");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: PEER_DIR, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) throw new Error("npm ci in bench/peers/bullmq failed");
}

const postgresUrl = () => process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** Leadwire as the README starts it, on a fresh database; set up over its API only. */
async function startLeadwire(kind, receiverUrl) {
  const dir = mkdtempSync(join(tmpdir(), "leadwire-api-bench-"));
  const schema = `bench_api_${rand()}`;
  const port = await freePort();
  const key = `lw_bench_${randomBytes(12).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const publicUrl = `http://127.0.0.1:${port}`;
  const problems = [];
  const env = {
    ...(kind === "sqlite"
      ? { DATABASE_URL: `sqlite:${join(dir, "leadwire.sqlite")}` }
      : { DATABASE_URL: postgresUrl(), DATABASE_SCHEMA: schema }),
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    BOOTSTRAP_API_KEY: key,
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    // The default (6,000 a minute per key) would throttle a burst; the limiter stays in the path.
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    // Inbound SMS only: signatures checked with this token, outgoing texts in the dev outbox.
    TWILIO_AUTH_TOKEN: authToken,
  };
  const profile = process.env.BENCH_PROFILE
    ? [
        "--cpu-prof",
        `--cpu-prof-dir=${process.env.BENCH_PROFILE}`,
        `--cpu-prof-name=api-${kind}-${rand()}.cpuprofile`,
      ]
    : [];
  const proc = launch(
    "leadwire",
    [...profile, "--max-old-space-size=1024", MAIN, "start", "--role", "all"],
    env,
    (line) => line.includes('"leadwire started"'),
    problems,
    {
      onLine: (line) => {
        try {
          const entry = JSON.parse(line);
          if (entry.level >= 40) {
            const err = entry.err ? ` (${entry.err.type ?? "Error"}: ${entry.err.message ?? ""})` : "";
            problems.push(`leadwire log, ${entry.level >= 50 ? "error" : "warn"}: ${entry.msg}${err}`);
          }
        } catch {
          problems.push(`leadwire stdout: ${line}`);
        }
      },
      // The start banner (the README's "Leadwire is running…") is stderr for people.
      ignoreStderr: (line) => line.trim() === "" || line.includes("Leadwire is running."),
    },
  );
  const stop = async () => {
    await proc.stop();
    if (kind === "postgres") await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await proc.started;
    const api = apiCaller(publicUrl, key);
    await api("POST", "/v1/profiles", { name: "Bench" });
    await api("PATCH", "/v1/settings", { senders: { sms: { from: SMS_TO } } });
    await api("POST", "/v1/webhooks/endpoints", {
      url: receiverUrl,
      events: EVENTS,
      secret: SECRET,
      maxConcurrency: 50,
    });
  } catch (error) {
    await stop();
    throw new Error(`Leadwire did not start: ${error.message}\n${problems.join("\n")}`);
  }
  return {
    name: "Leadwire",
    base: publicUrl,
    key,
    publicUrl,
    authToken,
    pids: () => [proc.pid],
    rssMb: () => [statusMb(proc.pid, "VmHWM")],
    problems,
    stop,
  };
}

/** The BullMQ peer on a fresh database and a fresh queue: server.mjs and worker.mjs. */
async function startPeer(kind, receiverUrl) {
  const dir = mkdtempSync(join(tmpdir(), "leadwire-api-bench-peer-"));
  const schema = `bench_peer_${rand()}`;
  const port = await freePort();
  const key = `peer_bench_${randomBytes(12).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const publicUrl = `http://127.0.0.1:${port}`;
  const prefix = `lwbench-${rand()}`;
  const problems = [];
  const env = {
    ...(kind === "sqlite"
      ? { PEER_DATABASE_URL: `sqlite:${join(dir, "peer.sqlite")}` }
      : { PEER_DATABASE_URL: postgresUrl(), PEER_DATABASE_SCHEMA: schema }),
    PEER_QUEUE: `webhooks-${rand()}`,
    PEER_PREFIX: prefix,
    PEER_API_KEY: key,
    PEER_SMS_FROM: SMS_TO,
    TWILIO_AUTH_TOKEN: authToken,
    PUBLIC_URL: publicUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
  };
  const onLine = (name) => (line) => problems.push(`${name} stdout: ${line}`);
  const server = launch(
    "peer server",
    [...PEER_NODE_FLAGS, "server.mjs"],
    env,
    (line) => line.includes('"listening"'),
    problems,
    { cwd: PEER_DIR, onLine: onLine("peer server") },
  );
  let worker;
  const stop = async () => {
    await Promise.all([server.stop(), worker?.stop()]);
    redisAdmin(["clean", prefix]);
    if (kind === "postgres") await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await server.started;
    worker = launch(
      "peer worker",
      [...PEER_NODE_FLAGS, "worker.mjs"],
      env,
      (line) => line.includes('"ready"'),
      problems,
      {
        cwd: PEER_DIR,
        onLine: onLine("peer worker"),
      },
    );
    await worker.started;
    const api = apiCaller(publicUrl, key);
    await api("POST", "/v1/webhooks/endpoints", { url: receiverUrl, events: EVENTS, secret: SECRET });
  } catch (error) {
    await stop();
    throw new Error(`the peer did not start: ${error.message}\n${problems.join("\n")}`);
  }
  return {
    name: "BullMQ peer",
    base: publicUrl,
    key,
    publicUrl,
    authToken,
    pids: () => [server.pid, worker.pid],
    rssMb: () => [statusMb(server.pid, "VmHWM"), statusMb(worker.pid, "VmHWM")],
    usesRedis: true,
    problems,
    stop,
  };
}

function apiCaller(base, key) {
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text);
  };
}

async function dropSchema(schema) {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

// ---------------------------------------------------------------- measuring

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU meters over a system's own processes, its PostgreSQL backends and Redis. */
async function meter(ctx, system) {
  const own = system.pids();
  const start = own.map(cpuOf);
  const pgStart = ctx.admin ? await pgBackends(ctx.admin, postgresUrl(), own) : undefined;
  const redisStart = system.usesRedis ? cpuOf(ctx.redisPid) : 0;
  const read = async () => {
    const server = own.map(cpuOf).reduce((a, b, i) => a + b - start[i], 0);
    let database;
    if (pgStart) {
      const now = await pgBackends(ctx.admin, postgresUrl(), own);
      database = 0;
      for (const [pid, cpu] of now) database += cpu - (pgStart.get(pid) ?? 0);
    }
    const redis = system.usesRedis ? cpuOf(ctx.redisPid) - redisStart : undefined;
    return { server, database, redis };
  };
  return read;
}

/** Waits until the system's processes use (almost) no CPU: work after the last delivery counted. */
async function settle(system) {
  const pids = system.pids();
  const total = () => pids.reduce((a, pid) => a + cpuOf(pid), 0);
  let before = total();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const after = total();
    if (after - before <= 20) return;
    before = after;
  }
}

const deliveryTimeout = (n) => 120_000 + n * 25;

async function waitDelivered(receiver, phase, n) {
  await waitFor(
    async () => {
      const { phases } = await receiver.ask({ type: "count" });
      const got = phases[phase] ?? 0;
      return got >= n ? true : `${got} of ${n} delivered`;
    },
    deliveryTimeout(n),
    `phase ${phase} deliveries`,
  );
}

/** Latencies (delivery − send) and the span from the first send to the last delivery. */
function deliveryStats(result, arrivals, n) {
  const latencies = [];
  let last = 0;
  for (let i = 0; i < n; i++) {
    const at = arrivals.get(i);
    if (at === undefined) throw new Error(`marker ${i} was never delivered`);
    latencies.push(at - result.sent[i]);
    last = Math.max(last, at);
  }
  latencies.sort((a, b) => a - b);
  const first = Math.min(...result.sent);
  const lastAnswer = Math.max(...result.done);
  return {
    perSecond: n / ((last - first) / 1000),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1),
    tail: last - lastAnswer,
  };
}

function requestStats(result) {
  const n = result.sent.length;
  const latencies = result.sent.map((s, i) => result.done[i] - s).sort((a, b) => a - b);
  return {
    perSecond: n / ((Math.max(...result.done) - Math.min(...result.sent)) / 1000),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
}

let phaseCounter = 0;
const nextPhase = () => `p${(++phaseCounter).toString(36)}${rand().slice(0, 3)}`;

async function rawCeiling(ctx, n) {
  const phase = nextPhase();
  const result = await ctx.client.run({
    kind: "raw",
    url: ctx.receiver.url,
    phase,
    n,
    concurrency: IN_FLIGHT,
  });
  await waitDelivered(ctx.receiver, phase, n);
  return deliveryStats(result, await ctx.receiver.marks(phase), n);
}

/** Sets a system up as a user would, warms it up, and returns what the phases need. */
async function prepare(ctx, system) {
  const created = await ctx.client.run({
    kind: "create",
    base: system.base,
    key: system.key,
    phase: nextPhase(),
    n: LEADS,
    phoneOffset: 0,
    profile: "Bench",
    concurrency: IN_FLIGHT,
  });
  const leadIds = created.ids;
  const phones = Array.from({ length: LEADS }, (_, n) => `+1202${String(2_000_000 + n).padStart(7, "0")}`);
  const patch = (phase, n, extra = {}) =>
    ctx.client.run({ kind: "patch", base: system.base, key: system.key, phase, n, leadIds, ...extra });
  const warm = nextPhase();
  await patch(warm, WARMUP, { concurrency: IN_FLIGHT });
  await waitDelivered(ctx.receiver, warm, WARMUP);
  await ctx.receiver.marks(warm);
  return { leadIds, phones, patch };
}

async function burst(ctx, system, prepared, n) {
  const phase = nextPhase();
  await settle(system);
  const read = await meter(ctx, system);
  const result = await prepared.patch(phase, n, { concurrency: IN_FLIGHT });
  await waitDelivered(ctx.receiver, phase, n);
  await settle(system);
  const cpu = await read();
  const stats = deliveryStats(result, await ctx.receiver.marks(phase), n);
  const redisMb = system.usesRedis ? statusMb(ctx.redisPid, "VmRSS") : undefined;
  return { ...stats, cpu, perChange: scale(cpu, n), rssMb: system.rssMb(), redisMb };
}

const scale = (cpu, n) => ({
  server: cpu.server / n,
  database: cpu.database === undefined ? undefined : cpu.database / n,
  redis: cpu.redis === undefined ? undefined : cpu.redis / n,
});

async function paced(ctx, prepared) {
  const phase = nextPhase();
  const n = PACED_RATE * PACED_SECONDS;
  const result = await prepared.patch(phase, n, { mode: "paced", rate: PACED_RATE, seconds: PACED_SECONDS });
  await waitDelivered(ctx.receiver, phase, n);
  const answers = requestStats(result);
  return { n, ...deliveryStats(result, await ctx.receiver.marks(phase), n), answerP50: answers.p50 };
}

async function creates(ctx, system) {
  await settle(system);
  const read = await meter(ctx, system);
  const result = await ctx.client.run({
    kind: "create",
    base: system.base,
    key: system.key,
    phase: nextPhase(),
    n: CREATES,
    phoneOffset: 100_000,
    profile: "Bench",
    concurrency: IN_FLIGHT,
  });
  await settle(system);
  const cpu = await read();
  return { n: CREATES, ...requestStats(result), perRequest: scale(cpu, CREATES) };
}

async function inboundSms(ctx, system, prepared) {
  const phase = nextPhase();
  await settle(system);
  const read = await meter(ctx, system);
  const result = await ctx.client.run({
    kind: "sms",
    base: system.base,
    publicUrl: system.publicUrl,
    authToken: system.authToken,
    accountSid: TWILIO_ACCOUNT,
    to: SMS_TO,
    phones: prepared.phones,
    phase,
    n: SMS,
    concurrency: IN_FLIGHT,
  });
  await waitDelivered(ctx.receiver, phase, SMS);
  await settle(system);
  const cpu = await read();
  const delivery = deliveryStats(result, await ctx.receiver.marks(phase), SMS);
  return { n: SMS, ...requestStats(result), delivery, perRequest: scale(cpu, SMS) };
}

// ---------------------------------------------------------------- the section

export const API_HEADING =
  "### API-driven: PATCH additionalInfo → signed webhook at a receiver, Leadwire beside a BullMQ peer (issue 14)";

/**
 * Runs the whole comparison and prints it as Markdown through `out`. `kinds`: backends;
 * `sizes`: burst sizes (changes); `runs`: repetitions of each (backend, size).
 */
export async function apiDrivenSection(out, { kinds, sizes = [4000, 20_000], runs = 3 }) {
  if (!existsSync(MAIN)) throw new Error("dist/main.js is missing: run npm run build first");
  ensurePeerInstalled();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const receiver = await startReceiver();
  const client = await startClient();
  const redisPid = redisAdmin(["info"]).pid;
  // Warm the client and the receiver once (connections open, code compiled), as run.mjs does.
  await rawCeiling({ receiver, client }, 2000);
  const rows = [];
  const pacedRows = [];
  const requestRows = [];
  const problems = [];
  try {
    for (const kind of kinds) {
      const admin = kind === "postgres" ? new pg.Client({ connectionString: postgresUrl() }) : undefined;
      await admin?.connect();
      const ctx = { receiver, client, admin, redisPid };
      try {
        for (let run = 1; run <= runs; run++) {
          for (const [s, n] of sizes.entries()) {
            process.stderr.write(`api bench: ${kind}, ${fmt(n)} changes, run ${run}/${runs}\n`);
            const raw = await rawCeiling(ctx, n);
            rows.push({ kind, n, run, system: "raw", ...raw });
            // Alternate which system goes first, so drift on a shared machine favours neither.
            const order = (run + s) % 2 === 1 ? [startLeadwire, startPeer] : [startPeer, startLeadwire];
            for (const start of order.filter((start) =>
              SYSTEMS.includes(start === startPeer ? "peer" : "leadwire"),
            )) {
              const system = await start(kind, receiver.url);
              try {
                const prepared = await prepare(ctx, system);
                const b = await burst(ctx, system, prepared, n);
                rows.push({ kind, n, run, system: system.name, ...b, raw: raw.perSecond });
                // The paced run, creates and inbound SMS once per run, after the first size.
                if (s === 0) {
                  pacedRows.push({ kind, run, system: system.name, ...(await paced(ctx, prepared)) });
                  requestRows.push({
                    kind,
                    run,
                    route: "POST /v1/leads/create",
                    system: system.name,
                    ...(await creates(ctx, system)),
                  });
                  requestRows.push({
                    kind,
                    run,
                    route: "inbound SMS (signed Twilio form)",
                    system: system.name,
                    ...(await inboundSms(ctx, system, prepared)),
                  });
                }
              } finally {
                await system.stop();
                for (const p of system.problems) problems.push(`${label[kind]}, ${system.name}: ${p}`);
              }
            }
          }
        }
      } finally {
        await admin?.end();
      }
    }
  } finally {
    await client.stop();
    await receiver.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  print(out, {
    rows,
    pacedRows,
    requestRows,
    problems: [...duplicates.splice(0), ...problems],
    kinds,
    sizes,
    runs,
  });
}

function print(out, { rows, pacedRows, requestRows, problems, kinds, sizes, runs }) {
  out(API_HEADING);
  out("");
  out(
    `Each run: a fresh database, the server started as the README says, ${LEADS} leads created over the API, ` +
      `${fmt(WARMUP)} warm-up changes, then the burst: one client, ${IN_FLIGHT} PATCHes in flight, each a new ` +
      "`additionalInfo` value, one endpoint subscribed; the clock runs from the first PATCH to the last " +
      "webhook at the receiver (another process). CPU is user + system time from `/proc`, until the processes " +
      "are idle again; + PostgreSQL: the backends serving the system's connections. Peak RSS is VmHWM; the " +
      "peer's is its server + its worker, then Redis's RSS. A negative time from the last answer to the last " +
      "delivery: the webhook arrived before the client had read the PATCH's answer.",
  );
  out("");
  out(
    "| backend | changes | run | system | changes/s | of raw | PATCH→delivery p50 | p99 | last answer → last delivery | server CPU per change | + PostgreSQL | + Redis | peak RSS |",
  );
  out("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const of = r.system === "raw" ? "100%" : `${Math.round((r.perSecond / r.raw) * 100)}%`;
    // Peak RSS (VmHWM) of each process: the peer's is server + worker, then Redis's current RSS.
    const total = r.rssMb?.reduce((a, b) => a + b, 0);
    const parts = r.rssMb?.length > 1 ? ` (${r.rssMb.map(fmt).join(" + ")})` : "";
    const redis = r.redisMb === undefined ? "" : ` + Redis ${fmt(r.redisMb)} MB`;
    const rss = total === undefined ? "" : `${fmt(total)} MB${parts}${redis}`;
    out(
      `| ${label[r.kind]} | ${fmt(r.n)} | ${r.run} | ${r.system === "raw" ? "raw ceiling (client → receiver)" : r.system} | ${fmt(r.perSecond)} | ${of} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.system === "raw" ? "" : sec(r.tail)} | ${r.perChange ? cpuMs(r.perChange.server) : ""} | ${r.perChange ? cpuMs(r.perChange.database) : ""} | ${r.perChange ? cpuMs(r.perChange.redis) : ""} | ${rss} |`,
    );
  }
  out("");
  out(
    `| ratio Leadwire / peer, PATCH→delivered per second (min / median / max of ${runs} run${runs > 1 ? "s" : ""}) | ${sizes.map((n) => `${fmt(n)} changes`).join(" | ")} |`,
  );
  out(`|---|${sizes.map(() => "---:").join("|")}|`);
  for (const kind of kinds) {
    const cells = sizes.map((n) => {
      const ratios = [];
      for (let run = 1; run <= runs; run++) {
        const of = (system) =>
          rows.find((r) => r.kind === kind && r.n === n && r.run === run && r.system === system);
        const l = of("Leadwire");
        const p = of("BullMQ peer");
        if (l && p) ratios.push(l.perSecond / p.perSecond);
      }
      if (ratios.length === 0) return "–";
      return `${Math.min(...ratios).toFixed(2)} / ${median(ratios).toFixed(2)} / ${Math.max(...ratios).toFixed(2)}`;
    });
    out(`| ${label[kind]} (peer: ${label[kind]} + Redis) | ${cells.join(" | ")} |`);
  }
  out("");
  out(
    `Paced: ${PACED_RATE} PATCH/s for ${PACED_SECONDS} s (open loop), PATCH sent → webhook at the receiver.`,
  );
  out("");
  out("| backend | run | system | PATCHes | p50 | p99 | max | PATCH answered, p50 |");
  out("|---|---:|---|---:|---:|---:|---:|---:|");
  for (const r of pacedRows)
    out(
      `| ${label[r.kind]} | ${r.run} | ${r.system} | ${fmt(r.n)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.answerP50)} |`,
    );
  out("");
  out(
    `Creates (${fmt(CREATES)} new leads; no event is emitted for a new lead) and inbound SMS (${fmt(SMS)} texts from the ${LEADS} leads, signed as Twilio signs them; the endpoint is subscribed to \`message.received\`), ${IN_FLIGHT} in flight.`,
  );
  out("");
  out(
    "| backend | run | route | system | requests/s | request p50 | p99 | delivered/s | request→delivery p50 | p99 | server CPU per request | + PostgreSQL | + Redis |",
  );
  out("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of requestRows) {
    const d = r.delivery;
    out(
      `| ${label[r.kind]} | ${r.run} | ${r.route} | ${r.system} | ${fmt(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${d ? fmt(d.perSecond) : "–"} | ${d ? ms(d.p50) : "–"} | ${d ? ms(d.p99) : "–"} | ${cpuMs(r.perRequest.server)} | ${cpuMs(r.perRequest.database)} | ${cpuMs(r.perRequest.redis)} |`,
    );
  }
  if (problems.length > 0) {
    // The same message from every run once, with how many times it was logged.
    const counts = new Map();
    for (const p of problems) counts.set(p, (counts.get(p) ?? 0) + 1);
    out("");
    out(
      `Warnings and errors the servers logged, and duplicate deliveries (${problems.length} lines, ${counts.size} distinct):`,
    );
    out("");
    for (const [p, n] of [...counts].slice(0, 30))
      out(`- ${n > 1 ? `${n} × ` : ""}\`${p.slice(0, 400).replaceAll("`", "'")}\``);
  }
}

/** Sizes and runs from BENCH_API_CHANGES ("4000,20000") and BENCH_API_RUNS. */
export function apiDrivenOptions({ changes, runs, defaultRuns }) {
  const sizes = (changes ?? process.env.BENCH_API_CHANGES ?? "4000,20000")
    .split(",")
    .map((s) => Number(s.trim().replaceAll("_", "")));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bad change counts: ${changes}`);
  return { sizes, runs: Number(runs ?? process.env.BENCH_API_RUNS ?? defaultRuns) };
}

// ---------------------------------------------------------------- standalone

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const only = option("--only");
  const { sizes, runs } = apiDrivenOptions({
    changes: option("--changes"),
    runs: option("--runs"),
    defaultRuns: 1,
  });
  let kinds = postgresUrl() ? ["sqlite", "postgres"] : ["sqlite"];
  if (only) kinds = kinds.filter((k) => k === only);
  if (only === "postgres" && !postgresUrl())
    throw new Error("--only postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const out = (line) => process.stdout.write(`${line}\n`);
  out(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 1073741824)} GiB, Node ${process.version}`,
  );
  out(`Date: ${new Date().toISOString()}`);
  if (!postgresUrl()) out("(PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL.)");
  out("");
  await apiDrivenSection(out, { kinds, sizes, runs });
  process.exit(0);
}
