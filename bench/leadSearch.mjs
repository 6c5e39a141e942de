// The Leads screen's search (GET /v1/leads/search): one org holding 100,000 leads (4 profiles,
// 3 tags of its own besides the built-in ones, flags and follow-up steps spread as below, 2%
// deleted) beside a second org with a tenth of that. Rows go straight into the database (JSON
// batches); each query is then timed through the HTTP layer (inject: auth, validation,
// serialisation) for its first page of 50: the first call, then the median and p95 of RUNS more.
//
//   npm run build && node bench/leadSearch.mjs       # SQLite, and PostgreSQL when
//   BENCH_DATABASE_URL or TEST_DATABASE_URL is set; BENCH_LEADS=10000 for a quick run,
//   BENCH_LEAD_SEARCH_PLANS=1 prints each query's plan.
import { fileURLToPath } from "node:url";
import { insertJsonRows } from "../dist/db/bulk.js";
import { seedBuiltInTags } from "../dist/domain/tags/builtInTags.js";
import { newId, newLeadId } from "../dist/ids.js";
import { insertBenchOrg, startKeyedBenchApp } from "./webhooks.mjs";

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const BATCH = 5000;
const RUNS = 20;
const PAGE = 50;
const BUDGET_MS = 100;
const KEY = "lw_bench_lead_search_key_0123456789ab";
const fmt = (n) => Math.round(n).toLocaleString("en-US");

const FIRST = [
  "Ann",
  "Bob",
  "Carla",
  "Dmitri",
  "Eve",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jon",
  "Kemal",
  "Lena",
];
const LAST = [
  "Smith",
  "Garcia",
  "Nguyen",
  "Okafor",
  "Rossi",
  "Kowalski",
  "Haddad",
  "Silva",
  "Tanaka",
  "Moreau",
];

/** What each query stands for, and its query string (the first page of 50). */
const QUERIES = [
  ["no filter", ""],
  ["q: common name", "q=ann"],
  ["q: one lead's email", "q=grace.tanaka77777%40example.com"],
  ["q: phone digits", "q=202 207 7777"],
  ["q: nothing matches (full scan)", "q=zzqx"],
  ["profile: 80% of leads", "profile=Main"],
  ["profile: 1% of leads", "profile=Rare"],
  ["tag: 40% of leads", "tag=Newsletter"],
  ["tag: 0.5% of leads", "tag=VIP"],
  ["hasReplied=true (30%)", "hasReplied=true"],
  ["hasReplied=false (70%)", "hasReplied=false"],
  ["isHot=true (3%)", "isHot=true"],
  ["isQualified=true (5%)", "isQualified=true"],
  ["isUnsubscribed=true (2%)", "isUnsubscribed=true"],
  ["isAiOn=false (4%)", "isAiOn=false"],
  ["followUpStep=-2 (5%)", "followUpStep=-2"],
  ["followUpStep=3 (10%)", "followUpStep=3"],
  ["profile: the 0.5% oldest leads", "profile=Legacy"],
  ["tag: on the 0.2% oldest leads", "tag=Archived"],
  ["profile 1% + isHot", "profile=Rare&isHot=true"],
  ["tag 0.5% + hasReplied", "tag=VIP&hasReplied=true"],
  ["isHot + isUnsubscribed + isAiOn=false", "isHot=true&isUnsubscribed=true&isAiOn=false"],
  ["q + isQualified + step 1", "q=smith&isQualified=true&followUpStep=1"],
  ["q rare + tag 40%", "q=zzqx&tag=Newsletter"],
  ["page 2, no filter", "PAGE2:"],
  ["page 2, hasReplied=true", "PAGE2:hasReplied=true"],
];

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

// Rows the size of real ones: a few additionalInfo keys, and the assistant's summary on most.
const ADDITIONAL_INFO = JSON.stringify({
  source: "website form",
  budget: "5000-10000",
  roofType: "asphalt shingle",
  notes: "Asked about a full replacement after the spring storms; prefers texts after 5pm.",
});
const SUMMARY =
  "Homeowner asking about a roof replacement after storm damage. Replied once, wants an estimate visit " +
  "next week, prefers texts in the evening; budget discussed, no objections raised so far.";

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
  ["summary", "text"],
  ["has_replied", "integer"],
  ["is_hot", "integer"],
  ["is_qualified", "integer"],
  ["is_unsubscribed", "integer"],
  ["is_ai_on", "integer"],
  ["follow_up_step", "integer"],
  ["created_at", "text"],
  ["updated_at", "text"],
  ["created_seq", "bigint"],
  ["updated_seq", "bigint"],
  ["deleted_at", "text"],
]);
const LEAD_TAG_COLUMNS = columns([
  ["lead_id", "text"],
  ["tag_id", "text"],
  ["org_id", "text"],
  ["created_at", "text"],
]);

async function insertAll(database, table, spec, rows) {
  for (let done = 0; done < rows.length; done += BATCH) {
    await insertJsonRows(database, table, spec, rows.slice(done, done + BATCH)).execute(database.db);
  }
}

async function insertProfile(db, orgId, name, at) {
  const id = newId("prf");
  await db
    .insertInto("profiles")
    .values({
      id,
      org_id: orgId,
      name,
      description: null,
      sms_enabled: 1,
      email_enabled: 0,
      voice_enabled: 0,
      initial_message: null,
      initial_subject: null,
      follow_up_config: JSON.stringify({
        1: { hours: 24, channel: "text" },
        2: { hours: 48, channel: "text" },
      }),
      step_templates: "{}",
      nurture_template: null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  return id;
}

async function insertTag(db, orgId, name, at) {
  const id = newId("tag");
  await db
    .insertInto("tags")
    .values({
      id,
      org_id: orgId,
      name,
      color: null,
      condition: null,
      is_manual: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

/** One org's leads over the last year: `total` of them, phones from `phoneBase` on. */
async function seedOrg(database, orgId, total, seed, now, phoneBase) {
  const rand = random(seed);
  const at = new Date(now - 366 * 86_400_000).toISOString();
  const hasTags = await database.db
    .selectFrom("tags")
    .select("id")
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  // The bootstrap key's org has its built-in tags already.
  if (hasTags === undefined) await seedBuiltInTags(database.db, orgId, new Date(at));
  const profiles = {
    main: await insertProfile(database.db, orgId, "Main", at),
    second: await insertProfile(database.db, orgId, "Second", at),
    rare: await insertProfile(database.db, orgId, "Rare", at),
    legacy: await insertProfile(database.db, orgId, "Legacy", at),
  };
  const newsletter = await insertTag(database.db, orgId, "Newsletter", at);
  const vip = await insertTag(database.db, orgId, "VIP", at);
  const archived = await insertTag(database.db, orgId, "Archived", at);
  const leads = [];
  const leadTags = [];
  const yearMs = 365 * 86_400_000;
  for (let i = 0; i < total; i++) {
    // Created in order over the year, as a real org's leads are.
    const created = new Date(now - yearMs + Math.floor((i / total) * yearMs)).toISOString();
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    const p = rand();
    const step = rand();
    const id = newLeadId();
    leads.push({
      id,
      org_id: orgId,
      // The oldest 0.5% are the Legacy profile's: a filter that reads to the end of the list.
      profile_id:
        i < total * 0.005
          ? profiles.legacy
          : p < 0.8
            ? profiles.main
            : p < 0.99
              ? profiles.second
              : profiles.rare,
      first_name: first,
      last_name: last,
      phone: `+1${String(phoneBase + i).padStart(10, "0")}`,
      email: `${first}.${last}${i}@example.com`.toLowerCase(),
      time_zone: "America/New_York",
      additional_info: ADDITIONAL_INFO,
      summary: rand() < 0.6 ? SUMMARY : null,
      has_replied: rand() < 0.3 ? 1 : 0,
      is_hot: rand() < 0.03 ? 1 : 0,
      is_qualified: rand() < 0.05 ? 1 : 0,
      is_unsubscribed: rand() < 0.02 ? 1 : 0,
      is_ai_on: rand() < 0.04 ? 0 : 1,
      follow_up_step: step < 0.4 ? 1 : step < 0.6 ? 2 : step < 0.7 ? 3 : step < 0.95 ? -1 : -2,
      created_at: created,
      updated_at: created,
      created_seq: i + 1,
      updated_seq: i + 1,
      deleted_at: rand() < 0.02 ? created : null,
    });
    if (rand() < 0.4) leadTags.push({ lead_id: id, tag_id: newsletter, org_id: orgId, created_at: created });
    if (rand() < 0.005) leadTags.push({ lead_id: id, tag_id: vip, org_id: orgId, created_at: created });
    if (i < total * 0.002)
      leadTags.push({ lead_id: id, tag_id: archived, org_id: orgId, created_at: created });
  }
  await insertAll(database, "leads", LEAD_COLUMNS, leads);
  await insertAll(database, "lead_tags", LEAD_TAG_COLUMNS, leadTags);
}

/** The plan of the listing query one request runs (caught on its way to the database). */
async function plan(app, query) {
  const sqlite = app.database.capabilities.singleWriter;
  const explain = sqlite ? "explain query plan " : "explain (analyze, buffers off, timing off) ";
  const executor = app.database.db.getExecutor();
  const original = executor.executeQuery;
  const lines = [];
  executor.executeQuery = async function (compiled, queryId) {
    if (compiled.sql.includes('from "leads"')) {
      const explained = await original.call(this, { ...compiled, sql: `${explain}${compiled.sql}` }, queryId);
      for (const row of explained.rows) lines.push(row.detail ?? row["QUERY PLAN"] ?? JSON.stringify(row));
    }
    return original.call(this, compiled, queryId);
  };
  try {
    const url = `/v1/leads/search?limit=${PAGE}${query === "" ? "" : `&${query}`}`;
    await app.http.inject({ method: "GET", url, headers: { "x-api-key": KEY } });
  } finally {
    executor.executeQuery = original;
  }
  process.stdout.write(`  plan ${query || "(no filter)"}:\n    ${lines.join("\n    ")}\n`);
}

async function time(app, url) {
  const started = performance.now();
  const response = await app.http.inject({ method: "GET", url, headers: { "x-api-key": KEY } });
  const ms = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return { ms, body: JSON.parse(response.body) };
}

async function urlFor(app, query) {
  if (!query.startsWith("PAGE2:")) return `/v1/leads/search?limit=${PAGE}${query === "" ? "" : `&${query}`}`;
  const rest = query.slice("PAGE2:".length);
  const first = await time(app, await urlFor(app, rest));
  const token = first.body.nextToken;
  if (token === null) throw new Error(`${rest}: only one page`);
  return `${await urlFor(app, rest)}&nextToken=${encodeURIComponent(token)}`;
}

/** Seeds one backend and times each query. */
export async function leadSearchTimings(kind) {
  const { database, app, orgId } = await startKeyedBenchApp(kind, KEY);
  try {
    const now = Date.now();
    const seedStarted = performance.now();
    await seedOrg(app.database, orgId, LEADS, 1, now, 2_020_000_000);
    const other = await insertBenchOrg(app.database.db, new Date(now).toISOString());
    await seedOrg(app.database, other, Math.round(LEADS / 10), 2, now, 3_030_000_000);
    // What autovacuum does after bulk inserts on PostgreSQL (statistics, visibility map); SQLite
    // is measured as it is, with no ANALYZE.
    if (!app.database.capabilities.singleWriter) {
      const { sql } = await import("kysely");
      for (const table of ["leads", "lead_tags", "tags", "profiles"]) {
        await sql`vacuum analyze ${sql.table(table)}`.execute(app.database.db);
      }
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const results = [];
    for (const [label, query] of QUERIES) {
      if (process.env.BENCH_LEAD_SEARCH_PLANS) await plan(app, query.replace("PAGE2:", ""));
      const url = await urlFor(app, query);
      const first = await time(app, url);
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push((await time(app, url)).ms);
      runs.sort((a, b) => a - b);
      results.push({
        label,
        query: query.replace("PAGE2:", "") || "(none)",
        found: first.body.leads.length,
        first: first.ms,
        median: runs[Math.floor(RUNS / 2)],
        p95: runs[Math.ceil(RUNS * 0.95) - 1],
      });
    }
    return { seedSeconds, results };
  } finally {
    await app.close();
    await database.drop();
  }
}

export function printLeadSearch(out, kind, { seedSeconds, results }) {
  out(`| ${kind} | query | leads on the page | first call | median | p95 |`);
  out("|---|---|---:|---:|---:|---:|");
  for (const r of results) {
    const flag = r.p95 > BUDGET_MS ? " ⚠" : "";
    out(
      `| | ${r.label}: \`${r.query}\` | ${r.found} | ${r.first.toFixed(1)} ms | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms${flag} |`,
    );
  }
  const worst = Math.max(...results.map((r) => r.p95));
  out(
    `\n(${kind}: seeded in ${seedSeconds.toFixed(0)} s; worst p95 ${worst.toFixed(1)} ms, budget ${BUDGET_MS} ms)\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = (line) => process.stdout.write(`${line}\n`);
  const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  out(`### Lead search, first page of ${PAGE}: ${fmt(LEADS)} leads in one org (a second org with a tenth)\n`);
  for (const kind of postgres ? ["sqlite", "postgres"] : ["sqlite"]) {
    printLeadSearch(out, kind, await leadSearchTimings(kind));
  }
  if (!postgres) out("(PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL.)");
}
