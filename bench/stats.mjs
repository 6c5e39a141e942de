// The overview's aggregates (GET /v1/stats/overview, /daily?days=30, /deliveries-hourly?hours=48,
// and the portal's per-endpoint /deliveries-hourly?hours=168&endpointId=) on one org holding 100,000 leads, 1,000,000 timeline rows, 1,000,000 messages, 1,000,000 events
// and 1,000,000 webhook deliveries spread over the last BENCH_STATS_SPAN_DAYS days (default 90),
// beside a second org with a tenth of that. Rows go straight into the database (JSON batches),
// then each endpoint is timed through the HTTP layer (inject: auth, validation, serialisation).
//
//   npm run build && node bench/stats.mjs            # SQLite, and PostgreSQL when
//   BENCH_DATABASE_URL or TEST_DATABASE_URL is set; BENCH_STATS_SCALE=0.1 for a quick run,
//   BENCH_STATS_PLANS=1 prints the query plans; BENCH_STATS_DROP_INDEX=<name> drops that index
//   before timing (what it is worth).
import { fileURLToPath } from "node:url";
import { insertJsonRows } from "../dist/db/bulk.js";
import { newEventId, newId, newLeadId } from "../dist/ids.js";
import { insertBenchEndpoint, insertBenchOrg, startKeyedBenchApp } from "./webhooks.mjs";

const SCALE = Number(process.env.BENCH_STATS_SCALE ?? 1);
const SPAN_DAYS = Number(process.env.BENCH_STATS_SPAN_DAYS ?? 90);
const SIZES = {
  leads: Math.round(100_000 * SCALE),
  timeline: Math.round(1_000_000 * SCALE),
  messages: Math.round(1_000_000 * SCALE),
  events: Math.round(1_000_000 * SCALE),
  deliveries: Math.round(1_000_000 * SCALE),
};
const BATCH = 5000;
const RUNS = 20;
const KEY = "lw_bench_stats_key_0123456789abcdef";
const ENDPOINTS = ["/v1/stats/overview", "/v1/stats/daily?days=30", "/v1/stats/deliveries-hourly?hours=48"];
/** The portal's endpoint card: a week of one endpoint (the one holding every delivery of the org). */
const ENDPOINT_HOURLY = "/v1/stats/deliveries-hourly?hours=168&endpointId={endpointId}";
const fmt = (n) => Math.round(n).toLocaleString("en-US");

/** A deterministic pseudo-random stream, so every run seeds the same shape. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const columns = (spec) => spec.map(([name, type]) => ({ name, type }));
const LEAD_COLUMNS = columns([
  ["id", "text"],
  ["org_id", "text"],
  ["profile_id", "text"],
  ["first_name", "text"],
  ["last_name", "text"],
  ["phone", "text"],
  ["email", "text"],
  ["time_zone", "text"],
  ["additional_info", "text"],
  ["has_replied", "integer"],
  ["is_hot", "integer"],
  ["is_qualified", "integer"],
  ["is_unsubscribed", "integer"],
  ["is_ai_on", "integer"],
  ["follow_up_step", "integer"],
  ["created_at", "text"],
  ["updated_at", "text"],
  ["deleted_at", "text"],
]);
const MESSAGE_COLUMNS = columns([
  ["id", "text"],
  ["org_id", "text"],
  ["lead_id", "text"],
  ["channel", "text"],
  ["direction", "text"],
  ["status", "text"],
  ["text", "text"],
  ["provider", "text"],
  ["provider_message_id", "text"],
  ["sent_at", "text"],
  ["created_at", "text"],
  ["updated_at", "text"],
]);
const EVENT_COLUMNS = columns([
  ["id", "text"],
  ["org_id", "text"],
  ["type", "text"],
  ["lead_id", "text"],
  ["body", "text"],
  ["occurred_at", "text"],
  ["created_at", "text"],
]);
const TIMELINE_COLUMNS = columns([
  ["id", "text"],
  ["org_id", "text"],
  ["lead_id", "text"],
  ["type", "text"],
  ["data", "text"],
  ["timestamp", "text"],
  ["updated_at", "text"],
]);
const DELIVERY_COLUMNS = columns([
  ["id", "text"],
  ["org_id", "text"],
  ["endpoint_id", "text"],
  ["event_id", "text"],
  ["event_type", "text"],
  ["status", "text"],
  ["attempts", "integer"],
  ["next_attempt_at", "text"],
  ["created_at", "text"],
  ["updated_at", "text"],
  ["completed_at", "text"],
]);

async function insertAll(database, table, spec, total, makeRow) {
  for (let done = 0; done < total; done += BATCH) {
    const rows = [];
    for (let i = done; i < Math.min(total, done + BATCH); i++) rows.push(makeRow(i));
    await insertJsonRows(database, table, spec, rows).execute(database.db);
  }
}

/** One org's rows; `fraction` of the full sizes. Returns nothing: counts are not checked here. */
async function seedOrg(database, orgId, fraction, seed, now) {
  const rand = random(seed);
  const span = SPAN_DAYS * 86_400_000;
  const at = () => new Date(now - Math.floor(rand() * span)).toISOString();
  const sizes = Object.fromEntries(Object.entries(SIZES).map(([k, v]) => [k, Math.round(v * fraction)]));
  const profileId = newId("prf");
  await database.db
    .insertInto("profiles")
    .values({
      id: profileId,
      org_id: orgId,
      name: "Bench",
      description: null,
      sms_enabled: 1,
      email_enabled: 0,
      voice_enabled: 0,
      initial_message: null,
      initial_subject: null,
      follow_up_config: "{}",
      step_templates: "{}",
      nurture_template: null,
      created_at: new Date(now - span).toISOString(),
      updated_at: new Date(now - span).toISOString(),
      deleted_at: null,
    })
    .execute();
  await insertBenchEndpoint(
    database.db,
    orgId,
    "https://example.com/hook",
    ["*"],
    new Date(now).toISOString(),
  );
  const { id: endpointId } = await database.db
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("org_id", "=", orgId)
    .executeTakeFirstOrThrow();

  const leadIds = [];
  await insertAll(database, "leads", LEAD_COLUMNS, sizes.leads, (i) => {
    const id = newLeadId();
    leadIds.push(id);
    const created = at();
    return {
      id,
      org_id: orgId,
      profile_id: profileId,
      first_name: `Lead${i}`,
      last_name: "Bench",
      phone: `+1202${String(2_000_000 + i).padStart(7, "0")}`,
      email: `lead${i}@example.com`,
      time_zone: "America/New_York",
      additional_info: "{}",
      has_replied: rand() < 0.3 ? 1 : 0,
      is_hot: 0,
      is_qualified: 0,
      is_unsubscribed: 0,
      is_ai_on: 1,
      follow_up_step: 1,
      created_at: created,
      updated_at: created,
      // 2% deleted
      deleted_at: rand() < 0.02 ? created : null,
    };
  });
  const lead = () => leadIds[Math.floor(rand() * leadIds.length)];

  // 60% sent (delivered), 5% queued or failed before sending, 0.1% unknown, the rest inbound.
  await insertAll(database, "messages", MESSAGE_COLUMNS, sizes.messages, () => {
    const created = at();
    const r = rand();
    const direction = r < 0.651 ? "outbound" : "inbound";
    const status =
      r < 0.6 ? "delivered" : r < 0.625 ? "queued" : r < 0.65 ? "failed" : r < 0.651 ? "unknown" : "received";
    return {
      id: newId("msg"),
      org_id: orgId,
      lead_id: lead(),
      channel: "sms",
      direction,
      status,
      text: "Hi, this is Sam from Roof Repair. When could we take a look at the roof?",
      provider: "dev",
      provider_message_id: null,
      sent_at: status === "delivered" ? created : null,
      created_at: created,
      updated_at: created,
    };
  });

  const body = JSON.stringify({ event: "message.sent", data: { text: "x".repeat(160) } });
  const eventIds = [];
  await insertAll(database, "events", EVENT_COLUMNS, sizes.events, () => {
    const created = at();
    const r = rand();
    const type =
      r < 0.55 ? "message.sent" : r < 0.85 ? "message.received" : r < 0.87 ? "optOut" : "leadTagged";
    const id = newEventId();
    if (eventIds.length < sizes.deliveries) eventIds.push([id, type, created]);
    return { id, org_id: orgId, type, lead_id: lead(), body, occurred_at: created, created_at: created };
  });

  await insertAll(database, "timeline", TIMELINE_COLUMNS, sizes.timeline, () => {
    const created = at();
    return {
      id: newId("tl"),
      org_id: orgId,
      lead_id: lead(),
      type: "MESSAGE",
      data: '{"direction":"OUTBOUND","content":{"text":"Hi"},"status":"sent"}',
      timestamp: created,
      updated_at: created,
    };
  });

  // One delivery per event (95% succeeded, 3% failed for good, 2% still pending).
  await insertAll(database, "webhook_deliveries", DELIVERY_COLUMNS, sizes.deliveries, (i) => {
    const [eventId, type, created] = eventIds[i % eventIds.length];
    const r = rand();
    const status = r < 0.95 ? "succeeded" : r < 0.98 ? "failed" : "pending";
    const done = new Date(Date.parse(created) + 50).toISOString();
    return {
      id: newId("whd"),
      org_id: orgId,
      endpoint_id: endpointId,
      event_id: i < eventIds.length ? eventId : newEventId(),
      event_type: type,
      status,
      attempts: status === "pending" ? 0 : 1,
      next_attempt_at: status === "pending" ? done : null,
      created_at: created,
      updated_at: done,
      completed_at: status === "pending" ? null : done,
    };
  });
}

async function plans(app, orgId, endpointId) {
  const { sql } = await import("kysely");
  const db = app.database.db;
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const sqlite = app.database.capabilities.singleWriter;
  const explain = sqlite ? sql.raw("explain query plan") : sql.raw("explain (analyze, buffers off)");
  const queries = {
    sentByDay: sql`select substr(sent_at, 1, 10), count(*) from messages where org_id = ${orgId} and sent_at >= ${since} group by substr(sent_at, 1, 10)`,
    inboundByDay: sql`select substr(created_at, 1, 10), count(*) from messages where org_id = ${orgId} and direction = 'inbound' and created_at >= ${since} group by substr(created_at, 1, 10)`,
    optOutsByDay: sql`select substr(created_at, 1, 10), count(*) from events where org_id = ${orgId} and type = 'optOut' and is_test = 0 and created_at >= ${since} group by substr(created_at, 1, 10)`,
    deliveriesByHour: sql`select substr(completed_at, 1, 13), status, count(*) from webhook_deliveries where org_id = ${orgId} and completed_at >= ${since} group by substr(completed_at, 1, 13), status`,
    endpointDeliveriesByHour: sql`select substr(completed_at, 1, 13), status, count(*) from webhook_deliveries where org_id = ${orgId} and endpoint_id = ${endpointId} and completed_at >= ${since} group by substr(completed_at, 1, 13), status`,
    liveLeads: sql`select count(*) from leads where org_id = ${orgId} and deleted_at is null`,
    unknown: sql`select count(*) from messages where org_id = ${orgId} and status = 'unknown'`,
  };
  for (const [name, query] of Object.entries(queries)) {
    const result = await sql`${explain} ${query}`.execute(db);
    const lines = result.rows.map((row) => row.detail ?? row["QUERY PLAN"] ?? JSON.stringify(row));
    process.stdout.write(`  plan ${name}:\n    ${lines.join("\n    ")}\n`);
  }
}

async function time(app, url) {
  const started = performance.now();
  const response = await app.http.inject({ method: "GET", url, headers: { "x-api-key": KEY } });
  const ms = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return ms;
}

/** Seeds one backend and times each endpoint: the first call, then the median and p95 of RUNS more. */
export async function statsTimings(kind) {
  const { database, app, orgId } = await startKeyedBenchApp(kind, KEY);
  try {
    const now = Date.now();
    const seedStarted = performance.now();
    await seedOrg(app.database, orgId, 1, 1, now);
    await seedOrg(
      app.database,
      await insertBenchOrg(app.database.db, new Date(now).toISOString()),
      0.1,
      2,
      now,
    );
    // What autovacuum does after bulk inserts on PostgreSQL (statistics, visibility map); SQLite
    // is measured as it is, with no ANALYZE.
    if (!app.database.capabilities.singleWriter) {
      const { sql } = await import("kysely");
      for (const table of ["leads", "messages", "events", "timeline", "webhook_deliveries"]) {
        await sql`vacuum analyze ${sql.table(table)}`.execute(app.database.db);
      }
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const { id: endpointId } = await app.database.db
      .selectFrom("webhook_endpoints")
      .select("id")
      .where("org_id", "=", orgId)
      .executeTakeFirstOrThrow();
    if (process.env.BENCH_STATS_DROP_INDEX) {
      const { sql } = await import("kysely");
      await sql`drop index ${sql.id(process.env.BENCH_STATS_DROP_INDEX)}`.execute(app.database.db);
    }
    if (process.env.BENCH_STATS_PLANS) await plans(app, orgId, endpointId);
    const results = [];
    for (const path of [...ENDPOINTS, ENDPOINT_HOURLY]) {
      const url = path.replace("{endpointId}", endpointId);
      const first = await time(app, url);
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await time(app, url));
      runs.sort((a, b) => a - b);
      results.push({
        url: path,
        first,
        median: runs[Math.floor(RUNS / 2)],
        p95: runs[Math.ceil(RUNS * 0.95) - 1],
      });
    }
    return { seedSeconds, results };
  } finally {
    await app.close();
    // BENCH_STATS_KEEP=1 leaves the seeded database in place, to study a query by hand.
    if (process.env.BENCH_STATS_KEEP) process.stdout.write(`(kept: ${JSON.stringify(database.env)})\n`);
    else await database.drop();
  }
}

/** The table's head; `printStats` adds one backend's rows. */
export const STATS_TABLE_HEAD = [
  "| backend | endpoint | first call | median of 20 | p95 of 20 |",
  "|---|---|---:|---:|---:|",
];

export function printStats(out, kind, { seedSeconds, results }) {
  for (const r of results) {
    out(
      `| ${kind} | \`${r.url}\` | ${r.first.toFixed(1)} ms | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`,
    );
  }
  process.stderr.write(`(${kind}: seeded in ${seedSeconds.toFixed(0)} s)\n`);
}

export const STATS_HEADING = `### Overview aggregates: ${fmt(SIZES.leads)} leads, ${fmt(SIZES.timeline)} timeline rows, ${fmt(SIZES.messages)} messages, ${fmt(SIZES.events)} events, ${fmt(SIZES.deliveries)} deliveries over ${SPAN_DAYS} days (one org; a second with a tenth)`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = (line) => process.stdout.write(`${line}\n`);
  const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  out(`${STATS_HEADING}\n`);
  for (const line of STATS_TABLE_HEAD) out(line);
  for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"]) {
    printStats(out, kind, await statsTimings(kind));
  }
  if (!postgres) out("(PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL.)");
}
