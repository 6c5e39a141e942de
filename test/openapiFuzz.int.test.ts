import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, startTestApp, type TestApp } from "./harness.js";
import { type PathFixtures, seedPathFixtures } from "./pathFixtures.js";

/**
 * Bad input over every operation of /openapi.json, generated from the document itself (so a new
 * route is fuzzed without anyone listing it): path parameters, query strings and bodies shaped
 * like the schema but wrong in type, size, encoding or nesting. On both backends, every answer
 * is below 500, every refusal is in the error shape, and a refused request changes nothing.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  additionalProperties?: Schema | boolean;
};

interface Parameter {
  in: "path" | "query" | "header" | "cookie";
  name: string;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const RUNS_PER_OPERATION = 20;
// Fixed so that CI is repeatable; FUZZ_SEED=<n> explores other cases locally.
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
// Columns a refused request may still touch by design: the throttled record of a key's or session's use.
const USAGE_COLUMNS = new Set(["last_used_at", "last_seen_at"]);

let t: TestApp;
let doc: OpenApiDocument;
let tables: string[];
let fixtures: PathFixtures;

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const badStrings = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x".repeat(5000),
  "%",
  "%FF%FE",
  "../..",
  "💥",
  "null",
  "-1",
  "1e309",
  "<script>alert(1)</script>",
  "'; drop table leads; --",
  "2024-13-45T99:99:99Z",
  "+1",
  "\t\n",
);

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  badStrings,
);

const wild: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constant(nested(1500)) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }) },
);

function resolve(schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const target = doc.components?.schemas?.[name];
  if (target === undefined) throw new Error(`unresolved $ref ${schema.$ref}`);
  return target;
}

function validishString(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case "date-time":
      return fc.constantFrom("2024-01-15T14:30:00.000Z", "2024-01-15", "yesterday");
    case "email":
      return fc.constantFrom("a@b.co", "not-an-email", "a@b");
    case "uri":
      return fc.constantFrom("http://127.0.0.1:9/hook", "ftp://x", "not a url");
    default:
      return fc.string({ maxLength: 40 });
  }
}

/** Values shaped like the schema, and often not: wrong type, wrong size, bad text, deep nesting. */
function fromSchema(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return scalar;
  const schema = resolve(raw);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined)
    return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)), scalar);
  if (schema.allOf !== undefined && schema.allOf[0] !== undefined)
    return fromSchema(schema.allOf[0], depth + 1);
  if (schema.enum !== undefined) return fc.oneof(fc.constantFrom(...schema.enum), scalar);
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), scalar);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const props = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, prop]) => [name, fromSchema(prop, depth + 1)]),
      );
      const record = fc.record({ ...props, unexpectedField: wild }, { requiredKeys: [] });
      return fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: wild });
    }
    case "array":
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 4 }) },
        { weight: 1, arbitrary: wild },
      );
    case "string":
      return fc.oneof(validishString(schema), badStrings, scalar);
    case "integer":
    case "number":
      return fc.oneof(
        fc.integer({ min: -5, max: 200 }),
        fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 0.5),
        scalar,
      );
    case "boolean":
      return fc.oneof(fc.boolean(), scalar);
    default:
      return wild;
  }
}

/** Percent-encodes, sending a lone surrogate as the bytes a careless client would (CESU-8). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}

const badSegment = fc.oneof(
  fc.string({ maxLength: 20 }).map(encode),
  fc.constantFrom("%00", "%FF%FE", "%", "x".repeat(8000), "..", "%2e%2e", "a%2Fb", encode("💥")),
);

const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }).map(encode),
  badStrings.map(encode),
  fc.constantFrom("10", "0", "-1", "1000000", "true", "maybe", "2024-01-15T00:00:00Z", "%ZZ", "%00"),
);

interface FuzzRequest {
  url: string;
  payload?: string;
}

function requestFor(path: string, op: Operation): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === "path");
  const queryParams = params.filter((p) => p.in === "query");
  const segments = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const known = fixtures[p.name];
        const value =
          known === undefined
            ? badSegment
            : fc.oneof({ weight: 2, arbitrary: fc.constant(known) }, { weight: 1, arbitrary: badSegment });
        return [p.name, value];
      }),
    ),
  );
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, queryValue])), {
    requiredKeys: [],
  });
  const schema = op.requestBody?.content["application/json"]?.schema;
  const payload: fc.Arbitrary<string | undefined> =
    schema === undefined
      ? fc.constant(undefined)
      : fc.oneof(
          { weight: 8, arbitrary: fromSchema(schema).map((body) => JSON.stringify(body) ?? "null") },
          { weight: 1, arbitrary: fc.constantFrom("{", '{"a":}', "[1,2", "\u0000", "nul") },
          { weight: 1, arbitrary: wild.map((body) => JSON.stringify(body) ?? "null") },
        );
  return fc.record({ segments, query, payload }).map(({ segments: values, query: q, payload: body }) => {
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? "x"));
    const search = Object.entries(q)
      .map(([name, value]) => `${name}=${String(value)}`)
      .join("&");
    return {
      url: search === "" ? filled : `${filled}?${search}`,
      ...(body === undefined ? {} : { payload: body }),
    };
  });
}

/** Everything stored, as one hash: a refused request must leave it as it was. */
async function digest(): Promise<string> {
  const hash = createHash("sha256");
  for (const table of tables) {
    const rows = await t.app.database.db
      .selectFrom(table as "leads")
      .selectAll()
      .execute();
    const lines = rows
      .map((row) =>
        JSON.stringify(
          Object.entries(row as Record<string, unknown>).filter(([column]) => !USAGE_COLUMNS.has(column)),
        ),
      )
      .sort();
    hash.update(`${table}:${lines.join("\n")}\n`);
  }
  return hash.digest("hex");
}

function expectErrorShape(status: number, text: string, where: string): void {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where}: ${status} answered a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const shaped = body as { message?: unknown; code?: unknown; details?: unknown };
  expect(Object.keys(shaped).sort(), where).toEqual(["code", "details", "message"]);
  expect(typeof shaped.message === "string" && shaped.message !== "", where).toBe(true);
  expect(typeof shaped.code, where).toBe("string");
  expect(Array.isArray(shaped.details), where).toBe(true);
  for (const detail of shaped.details as { path?: unknown; message?: unknown }[]) {
    expect(typeof detail.path, where).toBe("string");
    expect(typeof detail.message, where).toBe("string");
  }
}

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  fixtures = await seedPathFixtures(t, ADMIN_KEY);
  doc = (await t.get<OpenApiDocument>("/openapi.json")).body;
  tables = (await t.app.database.db.introspection.getTables()).map((table) => table.name).sort();
}, 60_000);
afterAll(() => t.close());

describe("fuzzing every operation in /openapi.json", () => {
  it("documents the operations it fuzzes", () => {
    const count = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(count).toBeGreaterThan(50);
  });

  it("answers bad input below 500, in the error shape, and a refusal changes nothing", async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    // Deletions last, so that the fixtures they may remove serve every other operation first.
    operations.sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
    for (const { method, path, op } of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(path, op), async (request) => {
          const before = await digest();
          const res = await t.app.http.inject({
            method: method as "GET",
            url: request.url,
            headers: {
              "x-api-key": ADMIN_KEY,
              ...(request.payload === undefined ? {} : { "content-type": "application/json" }),
            },
            ...(request.payload === undefined ? {} : { payload: request.payload }),
          });
          const where = `${method} ${request.url.slice(0, 120)} ${String(request.payload).slice(0, 200)}`;
          expect(res.statusCode, `${where} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expectErrorShape(res.statusCode, res.body, where);
            expect(await digest(), `${where} was refused but changed stored data`).toBe(before);
          }
        }),
        { numRuns: RUNS_PER_OPERATION, seed: SEED },
      );
    }
  }, 900_000);
});
