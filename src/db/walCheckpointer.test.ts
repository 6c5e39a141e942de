import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "./database.js";
import { startWalCheckpointer } from "./walCheckpointer.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "leadwire-wal-"));
  dirs.push(dir);
  return join(dir, "db.sqlite");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A connection that never checkpoints by itself, holding about 2 MB of rows in its WAL. */
function walHeavyDatabase(file: string): SqliteDatabase.Database {
  const raw = new SqliteDatabase(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("wal_autocheckpoint = 0");
  raw.exec("create table t (id integer primary key, body text not null)");
  const insert = raw.prepare("insert into t (body) values (?)");
  raw.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`${i}`.padEnd(1000, "x"));
  })();
  return raw;
}

describe("the background WAL checkpointer", () => {
  it("copies committed pages into the database file while the main connection stays open", async () => {
    const file = tempFile();
    const raw = walHeavyDatabase(file);
    const before = statSync(file).size;
    expect(before).toBeLessThan(100_000);
    const failures: unknown[] = [];
    const checkpointer = startWalCheckpointer(file, (error) => failures.push(error), 10);
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(2_000_000), { timeout: 20_000 });
    // The copy is the file's, not a private view: a fresh connection reads every row from it.
    expect(raw.prepare("select count(*) as n from t").get()).toEqual({ n: 2000 });
    await checkpointer.stop();
    raw.close();
    expect(failures).toEqual([]);
  });

  it("reports a thread that cannot open the database, so the caller can checkpoint again itself", async () => {
    const failures: unknown[] = [];
    const checkpointer = startWalCheckpointer(join(tempFile(), "missing.sqlite"), (error) =>
      failures.push(error),
    );
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 20_000 });
    expect(String(failures[0])).toMatch(/unable to open|directory does not exist/i);
    await checkpointer.stop();
  });

  it("runs under the server's database and leaves no WAL behind once closed", async () => {
    const file = tempFile();
    const database = openDatabase({ kind: "sqlite", filename: file }, { backgroundCheckpoints: true });
    await sql`create table t (id integer primary key, body text not null)`.execute(database.db);
    await sql`insert into t (body) values (${"x".repeat(5000)})`.execute(database.db);
    expect(existsSync(`${file}-wal`)).toBe(true);
    await database.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SqliteDatabase(file, { readonly: true });
    expect(reopened.prepare("select length(body) as n from t").get()).toEqual({ n: 5000 });
    reopened.close();
  });
});
