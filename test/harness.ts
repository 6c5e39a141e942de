import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { type App, createApp, type Role } from "../src/app.js";
import { ManualClock, systemClock } from "../src/clock.js";
import { type Config, loadConfig } from "../src/config.js";
import type { CreateOrgResponse } from "../src/http/routes/orgs/createOrg.js";
import { createLogger } from "../src/logger.js";
import { createTestClient, type InjectOptions, type RequestOptions, type TestClient } from "./client.js";

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

export type { HttpMethod, InjectOptions, RequestOptions, TestClient, TestResponse } from "./client.js";

/** The app in-process, and a typed client (test/client.ts) sending the admin key by default. */
export interface TestApp extends TestClient {
  app: App;
  clock: ManualClock;
  /** A new org and a key for it. */
  newOrg(name?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  role?: Role;
  clock?: ManualClock;
  realTime?: boolean;
  /** Share a database with other apps or processes; the caller then drops it. */
  database?: TestDatabase;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
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
  const client = createTestClient(app.http, ADMIN_KEY);

  return {
    ...client,
    app,
    clock,
    async newOrg(name) {
      orgCount++;
      const res = await client.post<CreateOrgResponse>("/v1/orgs", {
        name: name ?? `org-${orgCount}-${randomBytes(3).toString("hex")}`,
      });
      if (res.status !== 201) throw new Error(`could not create org: ${res.status} ${res.text}`);
      return res.body.apiKey.key;
    },
    async close() {
      await app.close();
      if (options.database === undefined) await database.drop();
    },
  };
}

/**
 * A value made in a beforeAll hook of the file (or of the describe this is called in), after the
 * hooks registered before this call; read it in tests and later hooks through the accessor.
 */
export function madeBeforeAll<T>(make: () => Promise<T>, timeoutMs = 60_000): () => T {
  let made: { value: T } | undefined;
  beforeAll(async () => {
    made = { value: await make() };
  }, timeoutMs);
  return () => {
    if (made === undefined) throw new Error("made in beforeAll: read it in tests and hooks, not at import");
    return made.value;
  };
}

/** The file's app, and the key of an org made on it for the file's tests. */
export interface FileTestApp extends TestApp {
  readonly key: string;
}

/**
 * The usual setup of a test file in one line: an app started (with a new org) before the file's
 * tests and closed after them. Use it inside tests and hooks; hooks the file registers after this
 * call run once the app has started.
 */
export function testAppForFile(options: TestAppOptions = {}): FileTestApp {
  const current = madeBeforeAll(async () => {
    const t = await startTestApp(options);
    return { t, key: await t.newOrg() };
  });
  afterAll(() => current().t.close(), 60_000);
  const t = () => current().t;
  return {
    get app() {
      return t().app;
    },
    get clock() {
      return t().clock;
    },
    get key() {
      return current().key;
    },
    request: <TRes>(method: string, url: string, options?: InjectOptions) =>
      t().request<TRes>(method, url, options),
    get: <TRes>(url: string, options?: RequestOptions) => t().get<TRes>(url, options),
    delete: <TRes>(url: string, options?: RequestOptions) => t().delete<TRes>(url, options),
    post: <TRes>(url: string, body?: unknown, options?: RequestOptions) => t().post<TRes>(url, body, options),
    put: <TRes>(url: string, body?: unknown, options?: RequestOptions) => t().put<TRes>(url, body, options),
    patch: <TRes>(url: string, body?: unknown, options?: RequestOptions) =>
      t().patch<TRes>(url, body, options),
    withKey: (key) => t().withKey(key),
    newOrg: (name) => t().newOrg(name),
    close: () => t().close(),
  };
}
