import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "../config.js";
import { preparingPool } from "./preparedStatements.js";
import type { DB } from "./schema.js";

/** What the backend can do; code branches on these, never on the dialect's name. */
export interface Capabilities {
  /** `FOR UPDATE SKIP LOCKED` claims, so several workers can share a table. */
  skipLocked: boolean;
  /** LISTEN/NOTIFY wake-ups across processes. */
  listenNotify: boolean;
  /** One writer at a time (SQLite): claims are short transactions, wake-ups are in-process. */
  singleWriter: boolean;
  /**
   * `SELECT … FOR UPDATE` row locks (PostgreSQL). Without them (SQLite) every transaction holds
   * the database's write lock from its first statement, which serialises read-modify-writes too.
   */
  rowLocks: boolean;
  /** How a JSON array parameter becomes rows (see bulk.ts). */
  jsonTable: "json_each" | "jsonb";
  /**
   * Updates leave dead row versions until a VACUUM (PostgreSQL), so the worker vacuums its
   * churned queue tables itself (queueVacuum.ts). SQLite updates rows in place.
   */
  deadRowVersions: boolean;
  /**
   * A lead's change can be read without a lock and written back in one statement that checks
   * the row is still the version read (PostgreSQL: `lw_change_lead` and the row's `xmin`).
   */
  versionedLeadWrites: boolean;
}

export interface Database {
  db: Kysely<DB>;
  capabilities: Capabilities;
  /** Human-readable target for logs, without credentials. */
  describe: string;
  /** The pg pool (PostgreSQL only), for LISTEN connections. */
  pgPool: pg.Pool | undefined;
  schema: string | undefined;
  close(): Promise<void>;
}

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. The same
 * SQL text gets the same prepared statement (bounded: Kysely builds a finite set of shapes, but
 * `in (?, ?, …)` lists vary in length).
 */
function withStatementCache(raw: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      // Kysely opens transactions with a plain (deferred) BEGIN. When another process writes
      // between a deferred transaction's read and its first write, that write fails at once with
      // SQLITE_BUSY_SNAPSHOT (busy_timeout does not wait it out). IMMEDIATE takes the write lock
      // first, so every read-modify-write reads the latest rows and waits its turn instead.
      const sql = sqlText === "begin" ? "begin immediate" : sqlText;
      let statement = cache.get(sql);
      if (statement === undefined) {
        if (cache.size >= 1000) cache.clear();
        statement = raw.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function openSqlite(filename: string): Database {
  if (filename !== ":memory:") mkdirSync(dirname(filename), { recursive: true });
  const raw = new SqliteDatabase(filename);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.pragma("busy_timeout = 5000");
  raw.pragma("foreign_keys = ON");
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return {
    db,
    capabilities: {
      skipLocked: false,
      listenNotify: false,
      singleWriter: true,
      rowLocks: false,
      jsonTable: "json_each",
      deadRowVersions: false,
      versionedLeadWrites: false,
    },
    describe: `sqlite:${filename}`,
    pgPool: undefined,
    schema: undefined,
    close: () => db.destroy(),
  };
}

function openPostgres(
  connectionString: string,
  schema: string | undefined,
  maxConnections: number,
): Database {
  // Text, integer and bigint columns only (see schema.ts); make bigint counts come back as numbers.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  const url = new URL(connectionString);
  return {
    db,
    capabilities: {
      skipLocked: true,
      listenNotify: true,
      singleWriter: false,
      rowLocks: true,
      jsonTable: "jsonb",
      deadRowVersions: true,
      versionedLeadWrites: true,
    },
    describe: `postgres://${url.host}${url.pathname}${schema ? ` (schema ${schema})` : ""}`,
    pgPool: pool,
    schema,
    close: () => db.destroy(),
  };
}

/** PostgreSQL: connections a pool opens at most, unless told otherwise. */
const DEFAULT_MAX_CONNECTIONS = 10;

/** `maxConnections` sizes a PostgreSQL pool (SQLite has one connection). */
export function openDatabase(config: DatabaseConfig, options: { maxConnections?: number } = {}): Database {
  return config.kind === "sqlite"
    ? openSqlite(config.filename)
    : openPostgres(config.connectionString, config.schema, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
}
