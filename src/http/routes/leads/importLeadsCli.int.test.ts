import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, startTestApp, type TestApp, type TestDatabase } from "../../../../test/harness.js";
import { MAIN } from "../../../../test/processes.js";
import type { LookupLeadResponse } from "./lookupLead.js";

/** `node dist/main.js import …` as a user runs it, on the test database (`npm run build` first). */

let database: TestDatabase;
let t: TestApp;
let dir: string;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  database = freshDatabase();
  // The bootstrap key belongs to the org named default, where the CLI imports without --org-key.
  t = await startTestApp({ database });
  const profile = { name: "Fair", initialMessage: "Hi {{firstName}}!" };
  expect((await t.request("POST", "/v1/profiles", { body: profile })).status).toBe(201);
  dir = mkdtempSync(join(tmpdir(), "leadwire-import-"));
});
afterAll(async () => {
  await t.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, "import", ...args], {
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "error", ...database.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function leadByPhone(phone: string) {
  const res = await t.get<LookupLeadResponse>(`/v1/leads/lookup?phone=${encodeURIComponent(phone)}`);
  return res.status === 200 ? res.body : undefined;
}

const SHEET = [
  "Full Name;Mobile;E-mail;Booth;Cell",
  "Smith, Jane;+1 (415) 555-0101;jane@example.com;A12;",
  "Ludwig van Beethoven;+14155550102;;B3;",
  "Bad Phone;555-0100;;C1;",
  "Jane Again;+1 415 555 0101;;A12;",
  "No Phone;;;D4;(415) 555-0109",
].join("\r\n");

describe("node dist/main.js import", () => {
  it("checks a dry run, writing the report and no lead", async () => {
    const report = join(dir, "dry.csv");
    const run = await cli([file("dry.csv", SHEET), "--profile", "Fair", "--dry-run", "--report", report]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("dry run, nothing written: 5 rows");
    expect(run.stdout).toContain("2 would be imported");
    expect(await leadByPhone("+14155550101")).toBeUndefined();
    expect(readFileSync(report, "utf8").split("\r\n").slice(0, 2)).toEqual([
      "row,outcome,reason,Full Name,Mobile,E-mail,Booth,Cell",
      '4,rejected,"phone: must be a possible phone number with a country code, e.g. +1 (202) 555-0189",Bad Phone,555-0100,,C1,',
    ]);
  });

  it("imports into the default org, maps columns, splits names and reports skipped rows", async () => {
    const report = join(dir, "report.csv");
    const run = await cli([
      file("sheet.csv", SHEET),
      "--profile",
      "Fair",
      "--map",
      "Cell=phone",
      "--map",
      "Mobile=additionalInfo.mobile",
      "--default-country",
      "US",
      "--report",
      report,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Cell → phone");
    expect(run.stdout).toContain("Full Name → name");
    expect(run.stdout).toMatch(/1 imported/);
    // Only "No Phone" has a Cell; the others now have no phone.
    expect(await leadByPhone("+14155550109")).toMatchObject({
      firstName: "No",
      lastName: "Phone",
      additionalInfo: { Booth: "D4" },
    });
    const lines = readFileSync(report, "utf8").trim().split("\r\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^2,rejected,"phone: must be a possible phone number/);
  });

  it("imports with the automatic mapping and skips what is already there on a second run", async () => {
    const sheet = file("auto.csv", SHEET);
    const first = await cli([sheet, "--profile", "Fair"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2 imported/);
    expect(first.stdout).toMatch(/1 duplicates skipped/);
    expect(first.stdout).toMatch(/2 rejected/);
    expect(await leadByPhone("+14155550101")).toMatchObject({
      firstName: "Jane",
      lastName: "Smith",
      email: "jane@example.com",
      additionalInfo: { Booth: "A12" },
    });
    expect(await leadByPhone("+14155550102")).toMatchObject({
      firstName: "Ludwig",
      lastName: "van Beethoven",
    });
    const queued = await t.app.database.db
      .selectFrom("messages")
      .select("text")
      .where("status", "=", "queued")
      .orderBy("text")
      .execute();
    expect(queued.map((m) => m.text)).toEqual(["Hi Jane!", "Hi Ludwig!", "Hi No!"]);

    const second = await cli([sheet, "--profile", "Fair"]);
    expect(second.stdout).toMatch(/0 imported/);
    expect(second.stdout).toMatch(/3 duplicates skipped/);
  });

  it("exits 2 with the reason for an unknown profile or key", async () => {
    const sheet = file("x.csv", SHEET);
    expect(await cli([sheet, "--profile", "Nope"])).toMatchObject({
      code: 2,
      stderr: 'Invalid profile: no profile named "Nope"\n',
    });
    expect(await cli([sheet, "--profile", "Fair", "--org-key", "lw_not_a_key_0000000000"])).toMatchObject({
      code: 2,
      stderr: "--org-key is not a valid API key.\n",
    });
  });
});
