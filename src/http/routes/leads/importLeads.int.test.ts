import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { toIso } from "../../../clock.js";
import { createImportJob } from "../../../domain/leads/importJobs.js";
import { authenticate } from "../../../domain/orgs/apiKeys.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { CreateOrgResponse } from "../orgs/createOrg.js";
import type { CreateLeadResponse } from "./createLead.js";
import type { GetLeadResponse } from "./getLead.js";
import type { ImportLeadsResponse } from "./importLeads.js";
import type { GetImportJobResponse } from "./importLeadsJob.js";
import type { LookupLeadResponse } from "./lookupLead.js";
import type { SearchLeadsResponse } from "./searchLeads.js";

let t: TestApp;
let key: string;

const PROFILE = { name: "Spreadsheet", initialMessage: "Hi {{firstName}}, thanks for reaching out!" };

/** Good rows, a phone repeated in another format, a bad phone, a bad email, a blank row, a bad zone. */
const SHEET = [
  "First Name,Last Name,Phone Number,E-mail,Timezone,External ID,Company,Notes",
  'Ada,Lovelace,+1 (202) 555-0101,Ada@Example.com,America/New_York,crm-1,Analytical Engines,"likes ""math"", tea"',
  "Alan,Turing,+12025550102,,Europe/London,crm-2,Bletchley,",
  "Grace,Hopper,+1 202 555 0101,grace@example.com,,crm-3,Navy,",
  "Bad,Phone,555-0100,bad@example.com,,crm-4,,",
  "Bad,Email,+12025550104,not-an-email,,crm-5,,",
  ",,,,,,,",
  "Edsger,Dijkstra,+12025550105,edsger@example.com,Mars/Olympus,crm-6,,",
].join("\n");

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  expect((await t.post("/v1/profiles", PROFILE, { key })).status).toBe(201);
});
afterAll(() => t.close());

function postCsv<TRes = ImportLeadsResponse>(csv: string, query: string, as = key, type = "text/csv") {
  return t.post<TRes>(`/v1/leads/import?${query}`, csv, { key: as, headers: { "content-type": type } });
}

async function finished(id: string, as = key, query = ""): Promise<GetImportJobResponse> {
  for (let i = 0; i < 500; i++) {
    const res = await t.get<GetImportJobResponse>(`/v1/leads/imports/${id}${query}`, { key: as });
    expect(res.status).toBe(200);
    const job = res.body;
    if (job.status === "done" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`import ${id} did not finish`);
}

async function importCsv(
  csv: string,
  query = "profile=Spreadsheet",
  as = key,
): Promise<GetImportJobResponse> {
  const res = await postCsv(csv, query, as);
  expect(res.status, res.text).toBe(202);
  expect(res.headers.location).toBe(`/v1/leads/imports/${res.body.id}`);
  return finished(res.body.id, as);
}

async function leadByPhone(phone: string, as = key) {
  const res = await t.get<LookupLeadResponse>(`/v1/leads/lookup?phone=${encodeURIComponent(phone)}`, {
    key: as,
  });
  return res.status === 200 ? res.body : undefined;
}

async function liveLeads(as: string): Promise<number> {
  const res = await t.get<SearchLeadsResponse>("/v1/leads/search?limit=1000", { key: as });
  return res.body.leads.length;
}

describe("POST /v1/leads/import", () => {
  it("creates the good rows with extra columns in additionalInfo and reports the rest with reasons", async () => {
    const job = await importCsv(SHEET);
    expect(job).toMatchObject({
      status: "done",
      rowsSeen: 7,
      imported: 2,
      duplicates: 1,
      rejected: 3,
      blank: 1,
    });
    expect(job.columns).toEqual({
      "First Name": "firstName",
      "Last Name": "lastName",
      "Phone Number": "phone",
      "E-mail": "email",
      Timezone: "timeZone",
      "External ID": "externalLeadId",
      Company: "additionalInfo.Company",
      Notes: "additionalInfo.Notes",
    });
    expect(job.skippedRows.map((r) => [r.row, r.outcome, r.reason])).toEqual([
      [4, "duplicate", "same phone as row 2"],
      [5, "rejected", expect.stringMatching(/^phone: must be a possible phone number/)],
      [6, "rejected", "email: must be a valid email address"],
      [8, "rejected", expect.stringMatching(/^timeZone: must be an IANA time zone name/)],
    ]);
    expect(job.skippedRows[1]?.values).toMatchObject({ "First Name": "Bad", "Phone Number": "555-0100" });

    const ada = await leadByPhone("+12025550101");
    expect(ada).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      timeZone: "America/New_York",
      externalLeadId: "crm-1",
      customerProfile: "Spreadsheet",
      additionalInfo: { Company: "Analytical Engines", Notes: 'likes "math", tea' },
    });
    expect(await leadByPhone("+12025550102")).toMatchObject({
      firstName: "Alan",
      email: null,
      additionalInfo: { Company: "Bletchley" },
    });
  });

  it("creates leads exactly as POST /v1/leads/create does, initial outreach included", async () => {
    const created = await t.post<CreateLeadResponse>(
      "/v1/leads/create",
      {
        firstName: "Ada",
        lastName: "Lovelace",
        phone: "+12025550199",
        email: "ada@example.com",
        timeZone: "America/New_York",
        externalLeadId: "crm-1",
        customerProfile: "Spreadsheet",
        additionalInfo: { Company: "Analytical Engines", Notes: 'likes "math", tea' },
      },
      { key },
    );
    expect(created.status).toBe(200);
    const viaApi = (await t.get<GetLeadResponse>(`/v1/leads/${created.body.id}`, { key })).body;
    const imported = await leadByPhone("+12025550101");
    const { id: _a, phone: _p, ...rest } = viaApi;
    expect(imported).toMatchObject(rest);

    const messagesOf = (leadId: string) =>
      t.app.database.db
        .selectFrom("messages")
        .select(["channel", "status", "text", "due_at", "author", "schedule_follow_ups"])
        .where("lead_id", "=", leadId)
        .execute();
    const viaImport = await messagesOf(imported?.id ?? "");
    expect(viaImport).toEqual(await messagesOf(viaApi.id));
    expect(viaImport).toEqual([
      expect.objectContaining({ status: "queued", text: "Hi Ada, thanks for reaching out!" }),
    ]);
  });

  it("creates no duplicate when the same file is imported again", async () => {
    const before = await liveLeads(key);
    const job = await importCsv(SHEET);
    expect(job).toMatchObject({ status: "done", imported: 0, duplicates: 3, rejected: 3 });
    const ada = await leadByPhone("+12025550101");
    expect(job.skippedRows.find((r) => r.row === 2)?.reason).toBe(
      `a lead with this phone already exists (${ada?.id})`,
    );
    expect(await liveLeads(key)).toBe(before);
  });

  it("changes nothing in a dry run, yet judges every row", async () => {
    const other = await t.newOrg();
    await t.post("/v1/profiles", PROFILE, { key: other });
    const job = await importCsv(SHEET, "profile=Spreadsheet&dryRun=true", other);
    expect(job).toMatchObject({ status: "done", imported: 2, duplicates: 1, rejected: 3 });
    expect(await liveLeads(other)).toBe(0);
    const messages = await t.app.database.db
      .selectFrom("messages")
      .select("id")
      .where("org_id", "=", await orgOf(other))
      .execute();
    expect(messages).toEqual([]);
  });

  it("reports progress to completion over several batches and pages the skipped rows", async () => {
    const rows = ["Name,Mobile,Source"];
    for (let i = 0; i < 1_200; i++)
      rows.push(`Lead ${i} Person,+1 303 555 ${String(i).padStart(4, "0")},web`);
    for (let i = 0; i < 5; i++) rows.push(`Broken ${i},12345,web`);
    const res = await postCsv(rows.join("\r\n"), "profile=Spreadsheet");
    expect(res.status).toBe(202);
    const id = res.body.id;
    const seen = new Set<number>();
    let job: GetImportJobResponse;
    do {
      job = (await t.get<GetImportJobResponse>(`/v1/leads/imports/${id}`, { key })).body;
      seen.add(job.rowsSeen);
      await new Promise((resolve) => setTimeout(resolve, 5));
    } while (job.status === "queued" || job.status === "running");
    expect(job).toMatchObject({ status: "done", rowsSeen: 1_205, imported: 1_200, rejected: 5 });
    expect([...seen].every((n) => [0, 500, 1_000, 1_205].includes(n))).toBe(true);
    expect(await leadByPhone("+13035551199")).toMatchObject({ firstName: "Lead 1199", lastName: "Person" });

    const page1 = await finished(id, key, "?limit=2");
    expect(page1.skippedRows.map((r) => r.row)).toEqual([1_202, 1_203]);
    const page2 = await finished(id, key, `?limit=2&nextToken=${page1.nextToken}`);
    const page3 = await finished(id, key, `?limit=2&nextToken=${page2.nextToken}`);
    expect([...page2.skippedRows, ...page3.skippedRows].map((r) => r.row)).toEqual([1_204, 1_205, 1_206]);
    expect(page3.nextToken).toBeNull();
  });

  it("rejects rows past the org's lead limit", async () => {
    const org = await t.post<CreateOrgResponse>("/v1/orgs", { name: "limited", leadLimit: 2 });
    const limited = org.body.apiKey.key;
    await t.post("/v1/profiles", PROFILE, { key: limited });
    const job = await importCsv(SHEET, "profile=Spreadsheet", limited);
    expect(job).toMatchObject({ imported: 2, rejected: 3 });
    const more = await importCsv("Name,Phone\nNew Person,+12025550177", "profile=Spreadsheet", limited);
    expect(more.skippedRows).toEqual([
      expect.objectContaining({ row: 2, reason: "the organisation's limit of 2 leads is reached" }),
    ]);
  });

  it("maps columns with map=, reads national phones with defaultCountry and keeps the rest", async () => {
    const csv = "Who;Cell;Internal;Source\nMaria de la Cruz;(720) 555-0142;x;fair";
    const job = await importCsv(
      csv,
      "profile=Spreadsheet&map=Who%3Dname&map=Cell%3Dphone&map=Internal%3Dskip&defaultCountry=US",
    );
    expect(job).toMatchObject({ imported: 1, rejected: 0 });
    expect(await leadByPhone("+17205550142")).toMatchObject({
      firstName: "Maria",
      lastName: "de la Cruz",
      additionalInfo: { Source: "fair" },
    });
  });

  it("takes over an import whose runner died, after the last committed batch", async () => {
    const csv = "Name,Phone\nFirst Done,+12025550301\nSecond Done,+12025550302\nThird New,+12025550303";
    const { id } = await createImportJob(t.app.ctx, await orgOf(key), {
      profile: "Spreadsheet",
      dryRun: false,
      map: [],
      csv,
    });
    // As a runner that committed two rows and was killed leaves it: running, its lease run out.
    await t.app.database.db
      .updateTable("lead_imports")
      .set({
        status: "running",
        locked_by: "dead-runner",
        locked_until: toIso(new Date(t.clock.now().getTime() - 1)),
        records_done: 2,
        rows_seen: 2,
        imported: 2,
      })
      .where("id", "=", id)
      .execute();
    await importCsv("Name,Phone\nKick Runner,+12025550399"); // any new import wakes the runner
    const job = await finished(id);
    expect(job).toMatchObject({ status: "done", rowsSeen: 3, imported: 3 });
    expect(await leadByPhone("+12025550301")).toBeUndefined();
    expect(await leadByPhone("+12025550303")).toMatchObject({ firstName: "Third", lastName: "New" });
  });
});

async function orgOf(apiKey: string): Promise<string> {
  const caller = await authenticate(t.app.ctx, apiKey);
  if (caller === undefined) throw new Error("unknown key");
  return caller.orgId;
}

describe("POST /v1/leads/import: refusals", () => {
  it.each([
    ["application/json", JSON.stringify({ csv: "a" })],
    ["text/plain", "Name,Phone"],
  ])("answers 415 for %s", async (type, body) => {
    const res = await postCsv(body, "profile=Spreadsheet", key, type);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: expect.stringMatching(/text\/csv/),
    });
  });

  it("keeps refusing CSV everywhere else", async () => {
    const res = await t.post("/v1/leads/create", "Name,Phone", {
      key,
      headers: { "content-type": "text/csv" },
    });
    expect(res.status).toBe(415);
  });

  it.each([
    ["profile", "an unknown profile", "profile=Nope", "Name,Phone\nA B,+12025550400"],
    ["map", "no phone column", "profile=Spreadsheet", "Name,Email\nA B,a@b.c"],
    ["map", "a map= of an unknown column", "profile=Spreadsheet&map=Mobile%3Dphone", "Name,Phone\nA B,+1"],
    ["defaultCountry", "an unknown country", "profile=Spreadsheet&defaultCountry=ZZ", "Name,Phone\nA B,+1"],
    ["body", "an empty file", "profile=Spreadsheet", ""],
    ["profile", "no profile", "", "Name,Phone"],
  ])("answers 400 naming %s for %s", async (path, _what, query, csv) => {
    const res = await postCsv<ErrorBody>(csv, query);
    expect(res.status, res.text).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });

  it("answers 413 for a CSV over 10 MiB", async () => {
    const res = await postCsv(`Name,Phone\n${"x".repeat(10 * 1024 * 1024)}`, "profile=Spreadsheet");
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/10 MiB/) });
  });

  it("answers 404 for another org's import", async () => {
    const res = await postCsv("Name,Phone\nA B,+12025550500", "profile=Spreadsheet&dryRun=true");
    const other = await t.newOrg();
    const got = await t.get(`/v1/leads/imports/${res.body.id}`, { key: other });
    expect(got.status).toBe(404);
  });
});
