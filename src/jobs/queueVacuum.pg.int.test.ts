import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDatabase, startTestApp, type TestApp, type TestDatabase } from "../../test/harness.js";
import { createLogger } from "../logger.js";
import { QueueVacuum, VACUUM_LOCK_KEY } from "./queueVacuum.js";

/**
 * PostgreSQL only: the worker's own vacuum of the churned queue tables, which must work on a
 * server with autovacuum off (as on these machines) and run in one worker at a time.
 */
let database: TestDatabase;
let t: TestApp;
let key: string;
let leadId: string;

beforeAll(async () => {
  database = freshDatabase();
  t = await startTestApp({ database, role: "worker" });
  key = await t.newOrg();
  expect((await t.request("POST", "/v1/profiles", { key, body: { name: "Vac" } })).status).toBe(201);
  const res = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "V", lastName: "C", phone: "+1 212 555 0111", customerProfile: "Vac" },
  });
  expect(res.status).toBe(200);
  leadId = (res.body as { id: string }).id;
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

const pool = () => {
  const p = t.app.database.pgPool;
  if (p === undefined) throw new Error("a PostgreSQL test");
  return p;
};
const keeper = (minDeadRows: number) =>
  new QueueVacuum({ pool: pool(), logger: createLogger(t.app.config), minDeadRows, intervalMs: 60_000 });

async function vacuumsOfLeads(): Promise<number> {
  const { rows } = await pool().query<{ n: string }>(
    "select vacuum_count as n from pg_stat_user_tables where schemaname = current_schema() and relname = 'leads'",
  );
  return Number(rows[0]?.n ?? 0);
}

/** Updates the lead through the API: each change leaves a dead row version of it. */
async function churn(times: number) {
  for (let i = 0; i < times; i++) {
    const res = await t.request("PATCH", `/v1/leads/${leadId}`, { key, body: { additionalInfo: { n: i } } });
    expect(res.status).toBe(200);
  }
}

describe("queue vacuum", () => {
  it("is part of a PostgreSQL worker", () => {
    expect(t.app.queueVacuum).toBeInstanceOf(QueueVacuum);
  });

  it("leaves a table alone below the dead-row threshold", async () => {
    await churn(3);
    const before = await vacuumsOfLeads();
    expect(await keeper(1_000_000).runOnce()).toEqual([]);
    expect(await vacuumsOfLeads()).toBe(before);
  });

  it("vacuums a table once the server counts enough dead rows in it", async () => {
    await churn(5);
    const before = await vacuumsOfLeads();
    const k = keeper(3);
    // The server publishes dead-row counts a moment after the commits: wait for them.
    await vi.waitFor(async () => expect(await k.runOnce()).toContain("leads"), {
      timeout: 30_000,
      interval: 200,
    });
    expect(await vacuumsOfLeads()).toBeGreaterThan(before);
    const { rows } = await pool().query<{ n: string }>(
      "select n_dead_tup as n from pg_stat_user_tables where schemaname = current_schema() and relname = 'leads'",
    );
    expect(Number(rows[0]?.n)).toBeLessThan(3);
  });

  it("skips the round while another worker holds the lock", async () => {
    await churn(5);
    // Another worker's session, on the same schema.
    const other = new pg.Client({
      connectionString: database.env.DATABASE_URL,
      options: `-c search_path=${t.app.database.schema}`,
    });
    await other.connect();
    try {
      await other.query(`select pg_advisory_lock(${VACUUM_LOCK_KEY})`);
      const before = await vacuumsOfLeads();
      expect(await keeper(1).runOnce()).toEqual([]);
      expect(await vacuumsOfLeads()).toBe(before);
    } finally {
      await other.end();
    }
    await vi.waitFor(async () => expect(await keeper(1).runOnce()).toContain("leads"), {
      timeout: 30_000,
      interval: 200,
    });
  });
});
