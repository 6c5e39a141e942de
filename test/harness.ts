import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type App, createApp, type Role } from "../src/app.js";
import { ManualClock, systemClock } from "../src/clock.js";
import { type Config, loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

export type Backend = "sqlite" | "postgres";

/** Which backend this vitest project runs against (see vitest.config.ts). */
export function testBackend(): Backend {
  return process.env.LEADWIRE_TEST_BACKEND === "postgres" ? "postgres" : "sqlite";
}

export const ADMIN_KEY = "lw_test_admin_key_0123456789abcdef";

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, isolated database: a new SQLite file, or a new schema in the test PostgreSQL. */
export function freshDatabase(): TestDatabase {
  const suffix = randomBytes(6).toString("hex");
  if (testBackend() === "postgres") {
    const url = process.env.TEST_DATABASE_URL;
    if (url === undefined) throw new Error("TEST_DATABASE_URL must be set for the postgres project");
    const schema = `t_${suffix}`;
    return {
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      async drop() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      },
    };
  }
  const file = join(tmpdir(), `leadwire-test-${suffix}.sqlite`);
  return {
    env: { DATABASE_URL: `sqlite:${file}` },
    async drop() {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    },
  };
}

export function testConfig(env: Record<string, string>): Config {
  return loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    BOOTSTRAP_API_KEY: ADMIN_KEY,
    ...env,
  });
}

export interface InjectOptions {
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Record<string, unknown>;
}

export interface TestApp {
  app: App;
  clock: ManualClock;
  request(method: string, url: string, options?: InjectOptions): Promise<TestResponse>;
  /** A new org and a key for it. */
  newOrg(name?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    env?: Record<string, string>;
    role?: Role;
    clock?: ManualClock;
    realTime?: boolean;
    /** Share a database with other apps or processes; the caller then drops it. */
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? freshDatabase();
  const config = testConfig({ ...database.env, ...options.env });
  const clock = options.clock ?? new ManualClock("2024-01-15T14:30:00.000Z");
  const app = await createApp(config, {
    role: options.role ?? "api",
    clock: options.realTime ? systemClock : clock,
    logger: createLogger(config),
  });
  // Requests go through inject(); only the background workers need starting.
  if ((options.role ?? "api") !== "api") {
    app.webhooks.start();
    app.messages.start();
    app.followUps.start();
    app.assistant.start();
  }
  let orgCount = 0;

  const request: TestApp["request"] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? ADMIN_KEY : opts.key;
    if (key !== null) headers["x-api-key"] = key;
    const response = await app.http.inject({
      method: method as "GET",
      url,
      headers,
      ...(opts.body === undefined ? {} : { payload: opts.body as object }),
    });
    let body: unknown;
    try {
      body = response.body === "" ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, body, text: response.body, headers: response.headers };
  };

  return {
    app,
    clock,
    request,
    async newOrg(name) {
      orgCount++;
      const res = await request("POST", "/v1/orgs", {
        body: { name: name ?? `org-${orgCount}-${randomBytes(3).toString("hex")}` },
      });
      if (res.status !== 201) throw new Error(`could not create org: ${res.status} ${res.text}`);
      return (res.body as { apiKey: { key: string } }).apiKey.key;
    },
    async close() {
      await app.close();
      if (options.database === undefined) await database.drop();
    },
  };
}
