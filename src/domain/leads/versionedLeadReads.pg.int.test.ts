import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { orgIdOf } from "../../../test/webhookFixtures.js";
import { DomainError } from "../errors.js";
import { loadVersionedLeadRow } from "./leadView.js";
import { VersionedLeadReads } from "./versionedLeadReads.js";

/** PostgreSQL only: the batched unlocked reads behind PATCH read what a lone read would. */
let t: TestApp;
let key: string;
let orgId: string;
let otherKey: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  otherKey = await t.newOrg();
  orgId = await orgIdOf(t, key);
  for (const k of [key, otherKey])
    expect((await t.request("POST", "/v1/profiles", { key: k, body: { name: "Reads" } })).status).toBe(201);
});
afterAll(() => t.close());

async function newLead(apiKey: string, phone: string): Promise<string> {
  const created = await t.request("POST", "/v1/leads/create", {
    key: apiKey,
    body: { firstName: "R", lastName: "S", phone, customerProfile: "Reads" },
  });
  expect(created.status).toBe(200);
  return (created.body as { id: string }).id;
}

describe("batched versioned lead reads", () => {
  it("answers each read of one turn with its own lead, as a lone read would, and a 404 for a lead not live in the org", async () => {
    const [a, b] = [await newLead(key, "+1 212 555 0121"), await newLead(key, "+1 212 555 0122")];
    const gone = await newLead(key, "+1 212 555 0123");
    expect((await t.request("DELETE", `/v1/leads/${gone}`, { key })).status).toBe(200);
    const foreign = await newLead(otherKey, "+1 212 555 0124");
    const reads = new VersionedLeadReads(t.app.database.db);

    const [readA, readB, readAgain, readGone, readForeign] = await Promise.allSettled([
      reads.load(orgId, a),
      reads.load(orgId, b),
      reads.load(orgId, a),
      reads.load(orgId, gone),
      reads.load(orgId, foreign),
    ]);

    expect(readA).toEqual({
      status: "fulfilled",
      value: await loadVersionedLeadRow(t.app.database.db, orgId, a),
    });
    expect(readB).toEqual({
      status: "fulfilled",
      value: await loadVersionedLeadRow(t.app.database.db, orgId, b),
    });
    expect(readAgain).toEqual(readA);
    for (const missing of [readGone, readForeign]) {
      const reason = missing.status === "rejected" ? missing.reason : undefined;
      expect(reason).toBeInstanceOf(DomainError);
      expect(reason).toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("reads the row as it is now, never a remembered one", async () => {
    const lead = await newLead(key, "+1 212 555 0125");
    const reads = new VersionedLeadReads(t.app.database.db);
    const before = await reads.load(orgId, lead);
    const patched = await t.request("PATCH", `/v1/leads/${lead}`, {
      key,
      body: { additionalInfo: { tone: "warm" } },
    });
    expect(patched.status).toBe(200);

    const after = await reads.load(orgId, lead);

    expect(after.version).not.toBe(before.version);
    expect(JSON.parse(after.row.additional_info ?? "{}")).toEqual({ tone: "warm" });
  });
});
