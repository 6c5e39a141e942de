import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Capabilities } from "./database.js";

/** A database handle or a domain context: what knows the backend's capabilities. */
type Backend = { capabilities: Capabilities };

/**
 * Batches as one JSON parameter instead of one bind parameter per value. Kysely builds and
 * compiles a node per value, and `in (?, ?, …)` lists of every length are as many different
 * statements to prepare; a JSON array keeps one statement text per query and leaves the parsing
 * to the database (SQLite's `json_each`, PostgreSQL's `jsonb` functions). Used by the hot paths
 * that move hundreds of rows at a time (webhook claims and attempt records, message sends).
 */
export function inJsonList(
  database: Backend,
  column: string,
  values: readonly string[],
): Expression<SqlBool> {
  const list = JSON.stringify(values);
  return database.capabilities.jsonTable === "json_each"
    ? sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${list}))`
    : sql<SqlBool>`${sql.ref(column)} in (select jsonb_array_elements_text(${list}::jsonb))`;
}

type Cell = string | number | null | undefined;

/** A table's columns for `insertJsonRows`, with the SQL type PostgreSQL casts each value to. */
export type JsonColumns<C extends string> = readonly { name: C; type: "text" | "integer" | "bigint" }[];

/**
 * `insert into <table> (<columns>) select … from <rows as JSON>`: every row in one parameter
 * (sent as arrays in `columns` order; a missing value is null).
 */
export function insertJsonRows<C extends string>(
  database: Backend,
  table: string,
  columns: JsonColumns<C>,
  rows: readonly { [K in C]?: Cell }[],
): RawBuilder<unknown> {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const json = JSON.stringify(rows.map((row) => columns.map((c) => row[c.name] ?? null)));
  if (database.capabilities.jsonTable === "json_each") {
    const cells = sql.join(columns.map((_c, i) => sql`value ->> ${sql.raw(String(i))}`));
    return sql`insert into ${sql.table(table)} (${names}) select ${cells} from json_each(${json})`;
  }
  const cells = sql.join(columns.map((c, i) => sql`(value ->> ${sql.raw(String(i))})::${sql.raw(c.type)}`));
  return sql`insert into ${sql.table(table)} (${names}) select ${cells} from jsonb_array_elements(${json}::jsonb)`;
}

/**
 * `update <table> set … from <rows as JSON> where <table>.<each match column> = <row's value>`:
 * a batch of updates with different values per row, as one statement. Each row is an array:
 * the `match` values first (the key, and any column whose current value is a precondition: a row
 * that no longer matches is left alone), then the `set` values. Each key must appear once, and
 * match values must not be null (SQL's `null = null` is not true, so such a row never matches).
 */
export function updateFromJsonRows<M extends string, S extends string>(
  database: Backend,
  table: string,
  match: JsonColumns<M>,
  set: JsonColumns<S>,
  rows: readonly Cell[][],
  where?: Expression<SqlBool>,
): RawBuilder<unknown> {
  const json = JSON.stringify(rows.map((row) => row.map((cell) => cell ?? null)));
  const sqlite = database.capabilities.jsonTable === "json_each";
  const cell = (i: number, type: string) =>
    sqlite
      ? sql`j.value ->> ${sql.raw(String(i))}`
      : sql`(j.value ->> ${sql.raw(String(i))})::${sql.raw(type)}`;
  const assignments = sql.join(
    set.map((c, i) => sql`${sql.ref(c.name)} = ${cell(match.length + i, c.type)}`),
  );
  const conditions = sql.join(
    [
      ...match.map((c, i) => sql`${sql.ref(`${table}.${c.name}`)} = ${cell(i, c.type)}`),
      ...(where === undefined ? [] : [where]),
    ],
    sql` and `,
  );
  const source = sqlite
    ? sql`json_each(${json}) as j`
    : sql`jsonb_array_elements(${json}::jsonb) as j(value)`;
  return sql`update ${sql.table(table)} set ${assignments} from ${source} where ${conditions}`;
}
