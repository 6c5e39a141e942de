import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTestApp, type TestApp } from "../../../test/harness.js";

/**
 * Concurrent creates of an org share one transaction (leadCreateBatches.ts),
 * and each is answered as it would be if the same creates had been made one after another.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const LIVE_PHONE = "+1 212 555 0100";

/** An org with a profile, a live lead on LIVE_PHONE, and the given lead limit. */
async function newOrg(leadLimit: number | null): Promise<{ key: string; orgId: string; liveId: string }> {
  const org = await t.request("POST", "/v1/orgs", { body: { name: `batch-${Math.random()}`, leadLimit } });
  expect(org.status).toBe(201);
  const { id: orgId, apiKey } = z
    .object({ id: z.string(), apiKey: z.object({ key: z.string() }) })
    .parse(org.body);
  const key = apiKey.key;
  expect((await t.request("POST", "/v1/profiles", { key, body: { name: "Batch" } })).status).toBe(201);
  const live = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "Live", lastName: "Lead", phone: LIVE_PHONE, customerProfile: "Batch" },
  });
  expect(live.status).toBe(200);
  return { key, orgId, liveId: z.object({ id: z.string() }).parse(live.body).id };
}

/** Creates that each end differently: two new leads, an unknown profile, a live phone, a phone twice. */
const creates = [
  { firstName: "A", lastName: "New", phone: "+1 212 555 0101", customerProfile: "Batch" },
  { firstName: "B", lastName: "Nobody", phone: "+1 212 555 0102", customerProfile: "No such profile" },
  { firstName: "C", lastName: "Again", phone: LIVE_PHONE, customerProfile: "Batch" },
  { firstName: "D", lastName: "Twin", phone: "+1 212 555 0101", customerProfile: "Batch" },
  { firstName: "E", lastName: "New", phone: "+1 212 555 0105", customerProfile: "Batch" },
  { firstName: "F", lastName: "Late", phone: "+1 212 555 0106", customerProfile: "Batch" },
];

/** Answers with the ids they name replaced by who they are, so two orgs' answers compare. */
function comparable(
  answers: { status: number; body: unknown }[],
  names: Map<string, string>,
): { status: number; body: unknown }[] {
  return answers.map(({ status, body }) => ({
    status,
    body: JSON.parse(
      JSON.stringify(body).replace(/[0-9a-f-]{36}|lead_[A-Za-z0-9]+/g, (id) => names.get(id) ?? "?"),
    ),
  }));
}

async function leadsOf(orgId: string) {
  return t.app.database.db
    .selectFrom("leads")
    .select(["id", "first_name", "phone", "created_seq"])
    .where("org_id", "=", orgId)
    .orderBy("created_seq")
    .execute();
}

describe("lead creates in one batch", () => {
  it("answers each create as one at a time would, and commits the new leads together", async () => {
    // The lead limit leaves room for two more: A and E take it, F is over the limit.
    const batched = await newOrg(3);
    const together = await Promise.all(
      creates.map((body) => t.request("POST", "/v1/leads/create", { key: batched.key, body })),
    );
    const oneByOne = await newOrg(3);
    const sequential: { status: number; body: unknown }[] = [];
    for (const body of creates)
      sequential.push(await t.request("POST", "/v1/leads/create", { key: oneByOne.key, body }));

    const names = async (org: { orgId: string; liveId: string }) =>
      new Map((await leadsOf(org.orgId)).map((lead) => [lead.id, lead.first_name]));
    expect(comparable(together, await names(batched))).toEqual(comparable(sequential, await names(oneByOne)));
    expect(together.map((a) => a.status)).toEqual([200, 400, 409, 409, 200, 403]);

    const leads = await leadsOf(batched.orgId);
    expect(leads.map((l) => l.first_name)).toEqual(["Live", "A", "E"]);
    // One transaction: one tick of the org's clock stamps both new leads.
    expect(leads[1]?.created_seq).toBe(leads[2]?.created_seq);
    expect(Number(leads[1]?.created_seq)).toBeGreaterThan(Number(leads[0]?.created_seq));
  });

  it("creates every lead of a burst once, across profiles", async () => {
    const org = await newOrg(null);
    expect((await t.request("POST", "/v1/profiles", { key: org.key, body: { name: "Other" } })).status).toBe(
      201,
    );
    const burst = Array.from({ length: 40 }, (_, i) => ({
      firstName: `N${i}`,
      lastName: "Burst",
      phone: `+1 212 555 ${String(1000 + i)}`,
      customerProfile: i % 2 === 0 ? "Batch" : "Other",
    }));
    const answers = await Promise.all(
      burst.map((body) => t.request("POST", "/v1/leads/create", { key: org.key, body })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ids = answers.map((a) => z.object({ id: z.string() }).parse(a.body).id);
    const leads = await leadsOf(org.orgId);
    expect(leads).toHaveLength(41);
    expect(new Set(ids)).toEqual(new Set(leads.filter((l) => l.first_name !== "Live").map((l) => l.id)));
  });
});
