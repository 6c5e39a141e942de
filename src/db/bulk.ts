import {
  type Expression,
  type InsertType,
  type RawBuilder,
  type SelectType,
  type SqlBool,
  sql,
  type UpdateType,
} from "kysely";
import type { Capabilities } from "./database.js";
import type { DB } from "./schema.js";

/** A database handle or a domain context: what knows the backend's capabilities. */
export type Backend = { capabilities: Capabilities };

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

/** What travels in the JSON parameter: every column is text, integer or bigint (schema.ts). */
type Cell = string | number | null | undefined;

/** A table's column names. */
export type ColumnOf<T extends keyof DB> = keyof DB[T] & string;

/** A table's columns for the JSON batches, with the SQL type PostgreSQL casts each value to. */
export type JsonColumns<C extends string> = readonly { name: C; type: "text" | "integer" | "bigint" }[];

/** A row to insert, by column: a value of the column's insert type; a missing value is null. */
export type InsertRow<T extends keyof DB, C extends ColumnOf<T>> = {
  [K in C]?: InsertType<DB[T][K]> & Cell;
};

/**
 * A row of a batch update, by column: the values its `match` columns must still hold (never null:
 * SQL's `null = null` is not true, so such a row would never match) and the values to `set`. Two
 * objects, because a precondition column may be set too (a sequence moves from its step to the next).
 */
export interface UpdateRow<T extends keyof DB, M extends ColumnOf<T>, S extends ColumnOf<T>> {
  match: { [K in M]: NonNullable<SelectType<DB[T][K]>> & Cell };
  set: { [K in S]: UpdateType<DB[T][K]> & Cell };
}

/** A row's values in `columns` order (missing ones null): the SQL reads each cell by position. */
function inOrder<C extends string>(
  columns: JsonColumns<C>,
  row: { [K in C]?: Cell },
): (string | number | null)[] {
  return columns.map((c) => row[c.name] ?? null);
}

/**
 * `insert into <table> (<columns>) select … from <rows as JSON>`: every row in one parameter.
 * Columns are the table's and rows are keyed by them, so a misspelt column or a value of the
 * wrong type is a compile error; the order the SQL reads them in is this function's business alone.
 */
export function insertJsonRows<T extends keyof DB & string, C extends ColumnOf<T>>(
  database: Backend,
  table: T,
  columns: JsonColumns<C>,
  rows: readonly InsertRow<T, C>[],
): RawBuilder<unknown> {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const json = JSON.stringify(rows.map((row) => inOrder(columns, row)));
  if (database.capabilities.jsonTable === "json_each") {
    const cells = sql.join(columns.map((_c, i) => sql`value ->> ${sql.raw(String(i))}`));
    return sql`insert into ${sql.table(table)} (${names}) select ${cells} from json_each(${json})`;
  }
  const cells = sql.join(columns.map((c, i) => sql`(value ->> ${sql.raw(String(i))})::${sql.raw(c.type)}`));
  return sql`insert into ${sql.table(table)} (${names}) select ${cells} from jsonb_array_elements(${json}::jsonb)`;
}

/**
 * `update <table> set … from <rows as JSON> where <table>.<each match column> = <row's value>`:
 * a batch of updates with different values per row, as one statement. Each row names the values
 * its `match` columns must hold (the key, and any column whose current value is a precondition: a
 * row that no longer matches is left alone) and the values to `set`. Each key must appear once.
 */
export function updateFromJsonRows<T extends keyof DB & string, M extends ColumnOf<T>, S extends ColumnOf<T>>(
  database: Backend,
  table: T,
  match: JsonColumns<M>,
  set: JsonColumns<S>,
  rows: readonly UpdateRow<T, M, S>[],
  where?: Expression<SqlBool>,
): RawBuilder<unknown> {
  // Match values first, then set values: `cell` below reads them back by that position.
  const json = JSON.stringify(rows.map((row) => [...inOrder(match, row.match), ...inOrder(set, row.set)]));
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
