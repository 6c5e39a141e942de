import type { z } from "zod";
import type { DB } from "./schema.js";

/**
 * A stored JSON value that is not JSON or does not fit its column's schema. Only our own code
 * writes these columns, so this is never the caller's fault: it is an internal error (a 500 whose
 * body says nothing more; the log line carries `table`, `column` and `rowId`), and the row needs
 * repair. The message names what is wrong (paths and rules), never the stored value, which may
 * hold personal data or secrets.
 */
export class CorruptRowError extends Error {
  override readonly name = "CorruptRowError";

  constructor(
    readonly table: string,
    readonly column: string,
    readonly rowId: string,
    problem: string,
  ) {
    super(`Corrupt stored JSON in ${table}.${column}, row ${rowId}: ${problem}`);
  }
}

/** The checked reader of one JSON column. */
export interface JsonColumn<T> {
  readonly table: string;
  readonly column: string;
  /** The stored text parsed and checked, or a CorruptRowError naming the table, column and row. */
  read(stored: string, rowId: string): T;
  /** `read` for a nullable column: SQL NULL reads as null. */
  readNullable(stored: string | null, rowId: string): T | null;
}

const ISSUES_SHOWN = 3;

/** `followUpConfig.1.hours: Too big …; …`: where and which rule, without the values. */
function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, ISSUES_SHOWN).map((issue) => {
    const path = issue.path.map(String).join(".");
    return `${path === "" ? "(root)" : path}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

/**
 * The reader of `table.column`, checked with `schema`. Domain code declares one per JSON column
 * (domain/jsonColumns.ts) and reads stored JSON only through them.
 */
export function jsonColumn<Table extends keyof DB, T>(
  table: Table,
  column: keyof DB[Table] & string,
  schema: z.ZodType<T>,
): JsonColumn<T> {
  const read = (stored: string, rowId: string): T => {
    let value: unknown;
    try {
      value = JSON.parse(stored);
    } catch {
      // The SyntaxError quotes the text; the message must not.
      throw new CorruptRowError(table, column, rowId, "not valid JSON");
    }
    const checked = schema.safeParse(value);
    if (!checked.success) throw new CorruptRowError(table, column, rowId, describeIssues(checked.error));
    return checked.data;
  };
  return {
    table,
    column,
    read,
    readNullable: (stored, rowId) => (stored === null ? null : read(stored, rowId)),
  };
}
