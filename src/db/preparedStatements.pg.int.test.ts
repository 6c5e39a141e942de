import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";

/** PostgreSQL only: Kysely's statements are prepared once per connection, then only executed. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Prepared = { name: string; statement: string };

describe("prepared statements", () => {
  it("prepares a statement once per connection and reuses it, with its own values each time", async () => {
    await t.app.database.db.connection().execute(async (conn) => {
      // A shape nothing else in the app runs.
      const query = (id: string) =>
        conn.selectFrom("orgs").select(["id", "name"]).where("id", "=", id).where("name", "=", "no such org");
      expect(await query("org_none_1").executeTakeFirst()).toBeUndefined();
      expect(await query("org_none_2").executeTakeFirst()).toBeUndefined();
      const text = query("x").compile().sql;
      const { rows } = await sql<Prepared>`
        select name, statement from pg_prepared_statements where statement = ${text}`.execute(conn);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.name).toMatch(/^lw_[0-9a-f]{24}$/);
    });
  });

  it("leaves transaction control and other utility statements unnamed", async () => {
    await t.app.database.db.transaction().execute(async (tx) => {
      await sql`set local statement_timeout = 5000`.execute(tx);
      const { rows } = await sql<Prepared>`select name, statement from pg_prepared_statements`.execute(tx);
      expect(rows.filter((row) => /^\s*(?:begin|set|commit)/i.test(row.statement))).toEqual([]);
    });
  });
});
