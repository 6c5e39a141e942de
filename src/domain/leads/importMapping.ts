import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { DomainError, invalid } from "../errors.js";

/**
 * How a spreadsheet's columns become lead fields: a header is matched to a field by its letters
 * and digits only ("Phone Number", "phone_number" and "PHONE-NUMBER" are one header), `--map`
 * overrides the guess, and every column left over goes into additionalInfo under its header.
 * Nothing here validates a lead: a row becomes the body `POST /v1/leads/create` would get, and
 * that route's schema judges it (importLeads.ts).
 */

export const IMPORT_FIELDS = [
  "firstName",
  "lastName",
  "name",
  "phone",
  "email",
  "timeZone",
  "externalLeadId",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export type ColumnTarget =
  | { kind: "field"; field: ImportField }
  | { kind: "info"; key: string }
  | { kind: "skip" };

/** Recognised headers per field, normalised (see `headerKey`); earlier ones win over later ones. */
const HEADER_ALIASES: Record<ImportField, readonly string[]> = {
  firstName: ["firstname", "first", "givenname", "forename", "fname"],
  lastName: ["lastname", "last", "surname", "familyname", "lname"],
  name: ["name", "fullname", "contactname", "leadname", "customername"],
  phone: [
    "phone",
    "phonenumber",
    "mobile",
    "mobilephone",
    "mobilenumber",
    "cell",
    "cellphone",
    "cellnumber",
    "telephone",
    "tel",
    "phoneno",
    "mobileno",
    "contactnumber",
  ],
  email: ["email", "emailaddress", "mail"],
  timeZone: ["timezone", "tz"],
  externalLeadId: [
    "externalleadid",
    "externalid",
    "id",
    "leadid",
    "crmid",
    "recordid",
    "contactid",
    "customerid",
  ],
};

/** Letters and digits only, lower case, accents dropped: "E-mail" → "email", "Téléphone" → "telephone". */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** The plan for one file: its (unique, non-empty) column names and what each one feeds. */
export interface ColumnPlan {
  columns: string[];
  targets: ColumnTarget[];
}

/** Empty headers become "column N" and repeated ones "Name (2)", so every column has a key. */
function uniqueColumns(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, index) => {
    const base = raw.trim() === "" ? `column ${index + 1}` : raw.trim();
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

/** `field`, `skip`, `additionalInfo` or `additionalInfo.<key>`: what `--map column=<target>` accepts. */
function parseTarget(text: string, column: string): ColumnTarget {
  const trimmed = text.trim();
  if (/^(skip|ignore)$/i.test(trimmed)) return { kind: "skip" };
  const info = /^additionalInfo(?:\.(.+))?$/i.exec(trimmed);
  if (info) return { kind: "info", key: info[1]?.trim() || column };
  const field = IMPORT_FIELDS.find((f) => headerKey(f) === headerKey(trimmed));
  if (field === undefined) {
    throw invalid(
      "map",
      `"${trimmed}" is not a lead field: use ${IMPORT_FIELDS.join(", ")}, additionalInfo[.key] or skip`,
    );
  }
  return { kind: "field", field };
}

/** `"Cell Phone=phone"` → ["Cell Phone", "phone"]; the last `=` splits, so a header may hold one. */
export function parseMapOption(option: string): [column: string, target: string] {
  const at = option.lastIndexOf("=");
  if (at <= 0) throw invalid("map", `"${option}" is not column=field`);
  return [option.slice(0, at), option.slice(at + 1)];
}

function findColumn(columns: readonly string[], name: string): number {
  const exact = columns.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  const index = columns.findIndex((c) => c.toLowerCase() === wanted);
  if (index < 0) {
    throw invalid("map", `no column named "${name}" (the columns are: ${columns.join(", ")})`);
  }
  return index;
}

/**
 * Decides what each column feeds: `--map` first (`overrides`, "column=target"), then the best
 * recognised header for each field still open (by alias rank, then leftmost); the rest goes to
 * additionalInfo under its own name. Refuses a file that cannot give any lead a phone or a name.
 */
export function planColumns(header: readonly string[], overrides: readonly string[] = []): ColumnPlan {
  const columns = uniqueColumns(header);
  const targets: (ColumnTarget | undefined)[] = columns.map(() => undefined);
  const taken = new Set<ImportField>();
  for (const option of overrides) {
    const [name, text] = parseMapOption(option);
    const index = findColumn(columns, name);
    const target = parseTarget(text, columns[index] ?? name);
    if (target.kind === "field") {
      if (taken.has(target.field)) throw invalid("map", `two columns are mapped to ${target.field}`);
      taken.add(target.field);
    }
    targets[index] = target;
  }
  for (const field of IMPORT_FIELDS) {
    if (taken.has(field)) continue;
    let best: { index: number; rank: number } | undefined;
    columns.forEach((column, index) => {
      if (targets[index] !== undefined) return;
      const rank = HEADER_ALIASES[field].indexOf(headerKey(column));
      if (rank >= 0 && (best === undefined || rank < best.rank)) best = { index, rank };
    });
    if (best !== undefined) {
      targets[best.index] = { kind: "field", field };
      taken.add(field);
    }
  }
  const plan = {
    columns,
    targets: targets.map((t, index): ColumnTarget => t ?? { kind: "info", key: columns[index] ?? "" }),
  };
  if (!taken.has("phone"))
    throw invalid(
      "map",
      "no phone column found: name one with --map <column>=phone (API: map=<column>=phone)",
    );
  if (!taken.has("name") && !taken.has("firstName") && !taken.has("lastName"))
    throw invalid("map", "no name column found (First Name and Last Name, or Name): name one with --map");
  return plan;
}

/** "column → target" lines for people: what the plan does with each column. */
export function describePlan(plan: ColumnPlan): Record<string, string> {
  return Object.fromEntries(
    plan.columns.map((column, index) => {
      const target = plan.targets[index];
      const text =
        target === undefined || target.kind === "skip"
          ? "skip"
          : target.kind === "field"
            ? target.field
            : `additionalInfo.${target.key}`;
      return [column, text];
    }),
  );
}

const HONORIFICS = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam"]);
const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "dds", "cpa"]);
const PARTICLES = new Set([
  "van",
  "von",
  "der",
  "den",
  "de",
  "da",
  "das",
  "dos",
  "del",
  "della",
  "di",
  "du",
  "la",
  "le",
  "st",
  "bin",
  "ibn",
  "al",
  "ten",
  "ter",
]);

const bare = (token: string) => token.toLowerCase().replace(/[.,]/g, "");

/**
 * One "name" cell as first and last name: "Smith, John" → John / Smith; "Dr. Mary Ann Smith Jr."
 * → Mary Ann / Smith Jr.; "Ludwig van Beethoven" → Ludwig / van Beethoven. A single word is a
 * first name with no last name (which the lead schema then refuses, as the API would).
 */
export function splitName(full: string): { firstName: string; lastName: string } {
  const text = full.trim().replace(/\s+/g, " ");
  const comma = text.indexOf(",");
  if (comma > 0) {
    const before = text.slice(0, comma).trim();
    const after = text.slice(comma + 1).trim();
    // "Smith, John" (last, first) unless what follows the comma is only a suffix ("John Smith, Jr.").
    if (after !== "" && !after.split(" ").every((t) => SUFFIXES.has(bare(t)))) {
      return { firstName: after, lastName: before };
    }
  }
  let tokens = text.replace(/,/g, " ").split(" ").filter(Boolean);
  while (tokens.length > 2 && HONORIFICS.has(bare(tokens[0] ?? ""))) tokens = tokens.slice(1);
  let end = tokens.length;
  while (end > 2 && SUFFIXES.has(bare(tokens[end - 1] ?? ""))) end--;
  if (tokens.length <= 1) return { firstName: tokens[0] ?? "", lastName: "" };
  // The last name starts at the first particle after the first word, else it is the last word.
  let start = end - 1;
  for (let i = 1; i < end - 1; i++) {
    if (PARTICLES.has(bare(tokens[i] ?? ""))) {
      start = i;
      break;
    }
  }
  return { firstName: tokens.slice(0, start).join(" "), lastName: tokens.slice(start).join(" ") };
}

export function parseCountry(code: string | undefined): CountryCode | undefined {
  if (code === undefined || code === "") return undefined;
  const upper = code.trim().toUpperCase();
  if (!isSupportedCountry(upper)) throw invalid("defaultCountry", `"${code}" is not a known country code`);
  return upper;
}

/**
 * A phone without the leading "+" (spreadsheets drop it, people leave it out) read as a number of
 * `country`; the result still goes through the API's phone rule. Anything else is left as it is.
 */
function withCountry(phone: string, country: CountryCode | undefined): string {
  if (country === undefined || phone === "" || phone.startsWith("+")) return phone;
  const parsed = parsePhoneNumberFromString(phone, country);
  return parsed?.isPossible() ? parsed.number : phone;
}

export interface RowOptions {
  customerProfile: string;
  defaultCountry?: CountryCode | undefined;
}

/**
 * One CSV record as a create-lead body (not yet validated), or why it cannot be one. Empty
 * optional cells are left out; first and last name are always strings so the schema names them.
 */
export function rowToLeadBody(
  plan: ColumnPlan,
  cells: readonly string[],
  options: RowOptions,
): { body: Record<string, unknown> } | { problem: string } {
  if (cells.length > plan.columns.length) {
    return { problem: `the row has ${cells.length} cells but the header has ${plan.columns.length}` };
  }
  const fields: Partial<Record<ImportField, string>> = {};
  // Entries, not assignments: a column named "__proto__" stays a key, as it does in a JSON body.
  const info: [string, string][] = [];
  for (let i = 0; i < plan.targets.length; i++) {
    const target = plan.targets[i];
    const value = (cells[i] ?? "").trim();
    if (target === undefined || target.kind === "skip" || value === "") continue;
    // The API refuses NUL in any string (http/inputGuards.ts: PostgreSQL cannot store it).
    if (value.includes("\u0000")) {
      return { problem: `${plan.columns[i]}: must not contain the NUL character (\\u0000)` };
    }
    if (target.kind === "field") fields[target.field] = value;
    else info.push([target.key, value]);
  }
  const split = fields.name === undefined ? undefined : splitName(fields.name);
  const body: Record<string, unknown> = {
    firstName: fields.firstName ?? split?.firstName ?? "",
    lastName: fields.lastName ?? split?.lastName ?? "",
    phone: withCountry(fields.phone ?? "", options.defaultCountry),
    customerProfile: options.customerProfile,
  };
  if (fields.email !== undefined) body.email = fields.email;
  if (fields.timeZone !== undefined) body.timeZone = fields.timeZone;
  if (fields.externalLeadId !== undefined) body.externalLeadId = fields.externalLeadId;
  if (info.length > 0) body.additionalInfo = Object.fromEntries(info);
  return { body };
}

/** A whole-file problem found before any row is read (no header, no phone column, ...). */
export function fileProblem(message: string): DomainError {
  return new DomainError("VALIDATION_FAILED", message, [{ path: "body", message }]);
}
