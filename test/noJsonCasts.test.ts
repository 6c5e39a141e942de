import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

/**
 * The lint check against JSON.parse casts (scripts/noJsonCasts.grit) run by Biome on sample
 * files, with the plugin entry of the project's own biome.json (its path made absolute).
 */
const ROOT = resolve(import.meta.dirname, "..");
const BIOME = join(ROOT, "node_modules", ".bin", "biome");

const pluginEntrySchema = z.object({ path: z.string(), includes: z.array(z.string()) });
const projectConfig = z
  .object({ plugins: z.array(pluginEntrySchema) })
  .parse(JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8")));

const reportSchema = z.object({
  diagnostics: z.array(
    z.object({
      category: z.string(),
      message: z.string(),
      location: z.object({ path: z.string(), start: z.object({ line: z.number() }) }),
    }),
  ),
});

const REFUSED = [
  'export const a = JSON.parse("1") as number;',
  'export const b = JSON.parse("[]", (_k, v) => v) as string[];',
  'export const c = (JSON.parse("{}")) as { x: number };',
  'export const d = JSON.parse("1") as unknown as number;',
  'export const e = { key: JSON.parse("{}") as Record<string, unknown> };',
  'const f: string[] = JSON.parse("[]");',
];
const ALLOWED = [
  'export const g = JSON.parse("1") as unknown;',
  'const h: unknown = JSON.parse("1");',
  'export const i = z.array(z.string()).parse(JSON.parse("[]"));',
  'export const j = "JSON.parse(x) as T in a string";',
  "// JSON.parse(x) as T in a comment",
  'export const k = (JSON.parse("1") as unknown) satisfies unknown;',
];
/** A cast spread over lines, as formatters write long ones. */
const MULTILINE = ["export const m = JSON.parse(", '  "1",', ") as number;"];

let dir: string;

function write(path: string, lines: readonly string[]): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), `${lines.join("\n")}\n`);
}

/** Lines of each file the plugin flags. */
function lint(): Map<string, number[]> {
  const run = spawnSync(BIOME, ["lint", "--reporter=json", "--max-diagnostics=none", "."], {
    cwd: dir,
    encoding: "utf8",
  });
  const report = reportSchema.parse(JSON.parse(run.stdout));
  const flagged = new Map<string, number[]>();
  for (const d of report.diagnostics) {
    expect(d.category, d.message).toBe("plugin");
    flagged.set(d.location.path, [...(flagged.get(d.location.path) ?? []), d.location.start.line]);
  }
  return flagged;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "leadwire-no-json-casts-"));
  const plugins = projectConfig.plugins.map((p) => ({ ...p, path: join(ROOT, p.path) }));
  writeFileSync(
    join(dir, "biome.json"),
    JSON.stringify({ root: true, plugins, linter: { rules: { preset: "none" } } }),
  );
  write("src/sample.ts", [...REFUSED, ...ALLOWED, ...MULTILINE]);
  write("src/domain/leads/createLead.ts", REFUSED);
  write("src/domain/leads/notOnTheList.ts", REFUSED);
  write("test/outsideSrc.ts", REFUSED);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the JSON.parse cast check", () => {
  it("refuses each cast in src/, allows `as unknown` and checked parsing, and names the allowlisted files only", () => {
    const flagged = lint();
    const multilineStart = REFUSED.length + ALLOWED.length + 1;
    const refusedLines = REFUSED.map((_, i) => i + 1);
    expect(flagged.get("src/sample.ts")).toEqual([...refusedLines, multilineStart]);
    expect(flagged.get("src/domain/leads/notOnTheList.ts")).toEqual(refusedLines);
    // Allowlisted until converted; outside src/ the check does not apply.
    expect(flagged.has("src/domain/leads/createLead.ts")).toBe(false);
    expect(flagged.has("test/outsideSrc.ts")).toBe(false);
  });
});
