import { Readable } from "node:stream";
import { type CsvError, type Parser, parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { DomainError } from "../errors.js";

/**
 * CSV in and out for imports, through csv-parse (streaming, RFC 4180 quoting, a byte order mark
 * dropped, any line ending). Rows may be shorter than the header (trailing empty cells left
 * out); quotes inside unquoted cells are kept as text rather than failing the file.
 */

const CANDIDATES = [",", ";", "\t", "|"] as const;

/**
 * The delimiter of a file from its first line: the candidate seen most often outside quotes
 * (spreadsheets in many European locales write `;`). A comma when nothing is found.
 */
export function sniffDelimiter(sample: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const char of sample) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ",";
  for (const [candidate, count] of counts) if (count > (counts.get(best) ?? 0)) best = candidate;
  return best;
}

const PARSE_OPTIONS = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  // An empty line is a record of one empty cell: skipped as blank, yet it keeps row numbers true.
  skip_empty_lines: false,
} as const;

export interface CsvSource {
  /** Every record, the header first, as arrays of cells. */
  records: AsyncIterable<string[]>;
  /** Bytes of input parsed so far (for a progress bar). */
  bytesParsed(): number;
}

/** Records of a CSV stream or text; the delimiter is sniffed from `sample` (the text's start). */
export function csvRecords(input: Readable | string, sample?: string): CsvSource {
  const parser: Parser = parse({
    ...PARSE_OPTIONS,
    delimiter: sniffDelimiter(sample ?? (typeof input === "string" ? input.slice(0, 65_536) : "")),
  });
  const source = typeof input === "string" ? Readable.from(chunks(input)) : input;
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  return {
    records: withReadableErrors(parser),
    bytesParsed: () => parser.info.bytes,
  };
}

/**
 * A text as 64 KiB pieces of its UTF-8 bytes, so that parsing takes turns with other work (and
 * the records in flight stay few) instead of the whole file in one go; csv-parse joins characters
 * split between pieces.
 */
function* chunks(text: string): Iterable<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
}

/** A malformed file (an unclosed quote, ...) fails the import with csv-parse's reason and line. */
async function* withReadableErrors(parser: Parser): AsyncIterable<string[]> {
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    throw readable(error);
  }
}

function readable(error: unknown): unknown {
  const csv = error as Partial<CsvError> & Error;
  if (typeof csv.code !== "string" || !csv.code.startsWith("CSV_")) return error;
  return new DomainError("VALIDATION_FAILED", `The CSV cannot be read: ${csv.message}`, [
    { path: "body", message: csv.message },
  ]);
}

/**
 * The first record of a CSV text: its header (the API checks it before accepting the file). Only
 * the text's start is read; csv-parse stops at the first record, so a cut-off cell after it is
 * no error here.
 */
export function csvHeader(text: string): string[] | undefined {
  const sample = text.slice(0, 65_536);
  try {
    const [header] = parseSync(sample, { ...PARSE_OPTIONS, delimiter: sniffDelimiter(sample), to: 1 });
    return header;
  } catch (error) {
    throw readable(error);
  }
}

/** One CSV cell: quoted when it holds a delimiter, a quote, a line break or edge spaces. */
function cell(value: string | number): string {
  const text = String(value);
  return /[",;\t|\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number)[]): string {
  return `${values.map(cell).join(",")}\r\n`;
}
