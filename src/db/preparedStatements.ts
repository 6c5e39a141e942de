import { createHash } from "node:crypto";
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";

/**
 * Distinct statements named per process. Kysely builds a finite set of shapes (batches travel as
 * one JSON parameter, see bulk.ts), so this is a guard, not a working limit: past it, statements
 * simply go unnamed, as before.
 */
const MAX_NAMED = 2000;
const MAX_NAMED_LENGTH = 10_000;
/** Statements the server can keep prepared; BEGIN, COMMIT, SET and DDL go as they are. */
const PREPARABLE = /^\s*(?:select|insert|update|delete|with)\b/i;

/**
 * The pool Kysely queries through, naming each statement by a hash of its text. node-postgres then
 * prepares a statement once per connection and afterwards only binds and executes it, so
 * PostgreSQL parses and analyses our few dozen statement shapes once per connection instead of on
 * every request (a PATCH runs five). The hash makes a name mean one text, whatever the connection.
 * LISTEN connections and the queue vacuum use the raw pool.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined) return known;
    if (names.size >= MAX_NAMED || text.length > MAX_NAMED_LENGTH || !PREPARABLE.test(text)) return undefined;
    const name = `lw_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(
        sqlOrCursor: string | PostgresCursor<R>,
        parameters?: ReadonlyArray<unknown>,
      ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        // Cursors (streamed reads) are not used with a name.
        if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as never) as PostgresCursor<R>;
        const values = parameters === undefined ? [] : [...parameters];
        const name = nameOf(sqlOrCursor);
        const result =
          name === undefined
            ? client.query(sqlOrCursor, values)
            : client.query({ name, text: sqlOrCursor, values });
        return result as unknown as Promise<PostgresQueryResult<R>>;
      }
      return { query, release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
