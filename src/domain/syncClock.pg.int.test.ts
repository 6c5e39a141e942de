import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";
import { additionalInfoUpdatedData } from "./events/catalog.js";
import { inTransaction } from "./events/transaction.js";
import { leadChangeStamp, syncStamp } from "./syncClock.js";

/**
 * The interleaving that made tailing clients skip rows, forced step by step on PostgreSQL (where
 * transactions of one org really run side by side): T1 starts its change first, T2 starts later,
 * commits first and is read; T1 commits after the read. T1's rows must still sort after
 * everything the reader saw.
 */
let t: TestApp;
let key: string;
let leadId: string;
let otherLeadId: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  expect((await t.request("POST", "/v1/profiles", { key, body: { name: "Clock" } })).status).toBe(201);
  const ids: string[] = [];
  for (const phone of ["+1 212 555 0101", "+1 212 555 0102"]) {
    const res = await t.request("POST", "/v1/leads/create", {
      key,
      body: { firstName: "C", lastName: "L", phone, customerProfile: "Clock" },
    });
    expect(res.status).toBe(200);
    ids.push((res.body as { id: string }).id);
  }
  [leadId = "", otherLeadId = ""] = ids;
});
afterAll(() => t.close());

const orgIdOf = async (id: string) =>
  (
    await t.app.database.db
      .selectFrom("leads")
      .select("org_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).org_id;

/** A change to one lead: its additionalInfo and the event, stamped as the domain does. */
function change(
  lead: string,
  orgId: string,
  value: number,
  hold?: { reached: () => void; gate: Promise<void> },
) {
  return inTransaction(t.app.ctx, async (tx, emit) => {
    // Taken when the change starts, as the domain functions do: the clock must not trust it.
    const now = t.clock.now();
    await emit({
      orgId,
      leadId: lead,
      type: "lead.additionalInfo.updated",
      data: additionalInfoUpdatedData({
        lead: { leadId: lead, phone: "+12125550101", externalLeadId: null },
        changes: { v: { old: null, new: value } },
      }),
    });
    // Started, not finished: the transaction stays open here while another one commits.
    if (hold) {
      hold.reached();
      await hold.gate;
    }
    await tx
      .updateTable("leads")
      .set({
        additional_info: JSON.stringify({ v: value }),
        ...leadChangeStamp(await syncStamp(tx, orgId, now)),
      })
      .where("id", "=", lead)
      .execute();
  });
}

/** T2 commits and is read while T1 is open; T1 then commits and must sort after the read. */
async function check(start: string, orgId: string, release: () => void, first: Promise<void>) {
  t.clock.advance(1_000);
  await change(otherLeadId, orgId, 2);
  const seenEvents = await t.request("GET", `/v1/events?since=${start}`, { key });
  const events = (seenEvents.body as { events: { createdAt: string; leadId: string }[] }).events;
  const newestEvent =
    events
      .map((e) => e.createdAt)
      .sort()
      .at(-1) ?? start;
  const seenLeads = await t.request("GET", `/v1/leads?updatedSince=${start}`, { key });
  const leads = (seenLeads.body as { leads: { id: string; updatedAt: string }[] }).leads;
  expect(leads.map((l) => l.id)).toEqual([otherLeadId]);
  const newestLead = leads[0]?.updatedAt ?? start;

  release();
  await first;
  const afterEvents = await t.request("GET", `/v1/events?since=${newestEvent}`, { key });
  const tail = (afterEvents.body as { events: { leadId: string; createdAt: string }[] }).events;
  expect(tail.map((e) => e.leadId)).toContain(leadId);
  const afterLeads = await t.request("GET", `/v1/leads?updatedSince=${newestLead}`, { key });
  expect((afterLeads.body as { leads: { id: string }[] }).leads.map((l) => l.id)).toContain(leadId);
}

describe("the sync clock hands out positions in commit order", () => {
  it("a change that started first but commits last sorts after what a reader already saw", async () => {
    const orgId = await orgIdOf(leadId);
    t.clock.advance(1_000);
    const start = t.clock.now().toISOString();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const first = change(leadId, orgId, 1, { reached, gate });
    // A failed expectation must not leave the held transaction open (close would wait on it).
    const failed = first.catch(() => undefined);
    try {
      await held;
      await check(start, orgId, release, first);
    } finally {
      release();
      await failed;
    }
  });

  it("stamps never go back, even when the writer's clock is behind the last stamp", async () => {
    const orgId = await orgIdOf(leadId);
    await change(leadId, orgId, 3);
    const before = await t.request("GET", `/v1/leads/${leadId}`, { key });
    const ahead = (before.body as { updatedAt: string }).updatedAt;
    t.clock.set(new Date(new Date(ahead).getTime() - 60_000));
    await change(leadId, orgId, 4);
    const after = await t.request("GET", `/v1/leads/${leadId}`, { key });
    expect((after.body as { updatedAt: string }).updatedAt).toBe(ahead);
  });
});
