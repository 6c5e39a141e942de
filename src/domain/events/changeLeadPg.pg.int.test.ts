import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PUBLIC_URL } from "../../../test/endpointFixtures.js";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { loadVersionedLeadRow } from "../leads/leadView.js";
import { additionalInfoUpdatedData } from "./catalog.js";
import { writeVersionedLeadChanges } from "./changeLeadPg.js";
import { LeadChangeBatches } from "./leadChangeBatches.js";
import { collectEvents } from "./transaction.js";

/**
 * PostgreSQL only: a lead's change read without a lock is written back only while the row is
 * still the version that was read; otherwise nothing at all is written (no lead change, no
 * event, no delivery, no tick of the org's clock), and the caller reads again.
 */
let t: TestApp;
let key: string;
let orgId: string;
let leadId: string;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  expect((await t.request("POST", "/v1/profiles", { key, body: { name: "Versioned" } })).status).toBe(201);
  const created = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "V", lastName: "W", phone: "+1 212 555 0199", customerProfile: "Versioned" },
  });
  expect(created.status).toBe(200);
  leadId = (created.body as { id: string }).id;
  const subscribed = await t.request("POST", "/v1/webhooks/endpoints", {
    key,
    body: { url: PUBLIC_URL, events: ["lead.additionalInfo.updated"] },
  });
  expect(subscribed.status).toBe(201);
  orgId = (
    await t.app.database.db
      .selectFrom("leads")
      .select("org_id")
      .where("id", "=", leadId)
      .executeTakeFirstOrThrow()
  ).org_id;
});
afterAll(() => t.close());

const clockSeq = async () =>
  Number(
    (
      await t.app.database.db
        .selectFrom("sync_clocks")
        .select("seq")
        .where("org_id", "=", orgId)
        .executeTakeFirstOrThrow()
    ).seq,
  );

/** A change of additionalInfo.color worked out from `row`, with its event. */
function planned(value: string, lead = leadId) {
  const { emit, events } = collectEvents(t.app.ctx);
  const emitted = emit({
    orgId,
    leadId: lead,
    type: "lead.additionalInfo.updated",
    data: additionalInfoUpdatedData({
      lead: { leadId: lead, phone: "+12125550199", externalLeadId: null },
      changes: { color: { old: null, new: value } },
    }),
  });
  return { emitted, events, changes: { additional_info: JSON.stringify({ color: value }) } };
}

describe("a versioned lead write", () => {
  it("writes nothing when the row moved on since it was read", async () => {
    const { version } = await loadVersionedLeadRow(t.app.ctx.db, orgId, leadId);
    const moved = await t.request("PATCH", `/v1/leads/${leadId}`, {
      key,
      body: { additionalInfo: { color: "red" } },
    });
    expect(moved.status).toBe(200);
    const seqBefore = await clockSeq();
    const eventsBefore = await t.app.database.db
      .selectFrom("events")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const stale = planned("blue");
    const eventId = await stale.emitted;

    const written = await writeVersionedLeadChanges(t.app.ctx, orgId, [
      { leadId, version, changes: stale.changes, events: stale.events },
    ]);

    expect(written).toEqual(new Set());
    const lead = await t.app.database.db
      .selectFrom("leads")
      .select(["additional_info", "updated_seq"])
      .where("id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(lead.additional_info ?? "{}")).toEqual({ color: "red" });
    expect(await clockSeq()).toBe(seqBefore);
    const event = await t.app.database.db
      .selectFrom("events")
      .select("id")
      .where("id", "=", eventId)
      .executeTakeFirst();
    expect(event).toBeUndefined();
    const eventsAfter = await t.app.database.db
      .selectFrom("events")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(eventsAfter.n).toBe(eventsBefore.n);
  });

  it("writes the change, its stamped event and the event's delivery when the row is as read", async () => {
    const { version } = await loadVersionedLeadRow(t.app.ctx.db, orgId, leadId);
    const seqBefore = await clockSeq();
    const fresh = planned("green");
    const eventId = await fresh.emitted;

    expect(
      await writeVersionedLeadChanges(t.app.ctx, orgId, [
        { leadId, version, changes: fresh.changes, events: fresh.events },
      ]),
    ).toEqual(new Set([leadId]));

    const lead = await t.app.database.db
      .selectFrom("leads")
      .select(["additional_info", "updated_seq", "updated_at"])
      .where("id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(lead.additional_info ?? "{}")).toEqual({ color: "green" });
    expect(await clockSeq()).toBe(seqBefore + 1);
    expect(Number(lead.updated_seq)).toBe(seqBefore + 1);
    const event = await t.app.database.db
      .selectFrom("events")
      .select(["seq", "created_at"])
      .where("id", "=", eventId)
      .executeTakeFirstOrThrow();
    expect(Number(event.seq)).toBe(seqBefore + 1);
    expect(event.created_at).toBe(lead.updated_at);
    const deliveries = await t.app.database.db
      .selectFrom("webhook_deliveries")
      .select("status")
      .where("event_id", "=", eventId)
      .execute();
    expect(deliveries).toEqual([{ status: "pending" }]);
  });

  it("writes nothing to a lead deleted since it was read", async () => {
    const { version } = await loadVersionedLeadRow(t.app.ctx.db, orgId, leadId);
    expect((await t.request("DELETE", `/v1/leads/${leadId}`, { key })).status).toBe(200);
    const late = planned("violet");
    await late.emitted;
    expect(
      await writeVersionedLeadChanges(t.app.ctx, orgId, [
        { leadId, version, changes: late.changes, events: late.events },
      ]),
    ).toEqual(new Set());
    const lead = await t.app.database.db
      .selectFrom("leads")
      .select("additional_info")
      .where("id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(lead.additional_info ?? "{}")).toEqual({ color: "green" });
  });
});

async function newLead(phone: string): Promise<string> {
  const created = await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "B", lastName: "C", phone, customerProfile: "Versioned" },
  });
  expect(created.status).toBe(200);
  return (created.body as { id: string }).id;
}

async function colorOf(lead: string): Promise<unknown> {
  const row = await t.app.database.db
    .selectFrom("leads")
    .select("additional_info")
    .where("id", "=", lead)
    .executeTakeFirstOrThrow();
  return z.looseObject({ color: z.unknown().optional() }).parse(JSON.parse(row.additional_info ?? "{}"))
    .color;
}

async function eventExists(id: string): Promise<boolean> {
  const row = await t.app.database.db
    .selectFrom("events")
    .select("id")
    .where("id", "=", id)
    .executeTakeFirst();
  return row !== undefined;
}

describe("a batch of versioned lead writes", () => {
  it("writes the changes whose lead is as read in one commit (one clock tick), and nothing of a stale one", async () => {
    const [a, b, c] = [
      await newLead("+1 212 555 0101"),
      await newLead("+1 212 555 0102"),
      await newLead("+1 212 555 0103"),
    ];
    const versions = await Promise.all([a, b, c].map((id) => loadVersionedLeadRow(t.app.ctx.db, orgId, id)));
    expect(
      (await t.request("PATCH", `/v1/leads/${b}`, { key, body: { additionalInfo: { color: "moved" } } }))
        .status,
    ).toBe(200);
    const seqBefore = await clockSeq();
    const plans = [planned("amber", a), planned("blue", b), planned("cyan", c)];
    const ids = await Promise.all(plans.map((p) => p.emitted));

    const written = await writeVersionedLeadChanges(
      t.app.ctx,
      orgId,
      [a, b, c].map((id, i) => ({
        leadId: id,
        version: versions[i]?.version ?? "",
        changes: plans[i]?.changes ?? {},
        events: plans[i]?.events ?? [],
      })),
    );

    expect(written).toEqual(new Set([a, c]));
    expect([await colorOf(a), await colorOf(b), await colorOf(c)]).toEqual(["amber", "moved", "cyan"]);
    expect(await clockSeq()).toBe(seqBefore + 1);
    expect([
      await eventExists(ids[0] ?? ""),
      await eventExists(ids[1] ?? ""),
      await eventExists(ids[2] ?? ""),
    ]).toEqual([true, false, true]);
  });

  it("skips a lead another transaction holds instead of waiting for it", async () => {
    const held = await newLead("+1 212 555 0104");
    const free = await newLead("+1 212 555 0105");
    const [heldVersion, freeVersion] = await Promise.all(
      [held, free].map((id) => loadVersionedLeadRow(t.app.ctx.db, orgId, id)),
    );
    const plans = [planned("held", held), planned("free", free)];
    await Promise.all(plans.map((p) => p.emitted));

    const written = await t.app.database.db.transaction().execute(async (trx) => {
      await trx.selectFrom("leads").select("id").where("id", "=", held).forUpdate().execute();
      // The write runs on another connection while this one holds the lead's row lock.
      return writeVersionedLeadChanges(t.app.ctx, orgId, [
        {
          leadId: held,
          version: heldVersion?.version ?? "",
          changes: plans[0]?.changes ?? {},
          events: plans[0]?.events ?? [],
        },
        {
          leadId: free,
          version: freeVersion?.version ?? "",
          changes: plans[1]?.changes ?? {},
          events: plans[1]?.events ?? [],
        },
      ]);
    });

    expect(written).toEqual(new Set([free]));
    expect([await colorOf(held), await colorOf(free)]).toEqual([undefined, "free"]);
  });

  it("commits the changes handed over in one turn of the event loop together, a lead's second change left to be read again", async () => {
    const leads = [
      await newLead("+1 212 555 0106"),
      await newLead("+1 212 555 0107"),
      await newLead("+1 212 555 0108"),
    ];
    const versions = await Promise.all(leads.map((id) => loadVersionedLeadRow(t.app.ctx.db, orgId, id)));
    const batches = new LeadChangeBatches(t.app.ctx, 64);
    const seqBefore = await clockSeq();
    const changes = [...leads, leads[0] ?? ""].map((id, i) => {
      const plan = planned(`tone-${i}`, id);
      return {
        leadId: id,
        version: versions[i % leads.length]?.version ?? "",
        changes: plan.changes,
        events: plan.events,
      };
    });

    const written = await Promise.all(changes.map((change) => batches.write(orgId, change)));

    expect(written).toEqual([true, true, true, false]);
    expect(await clockSeq()).toBe(seqBefore + 1);
    expect(await Promise.all(leads.map(colorOf))).toEqual(["tone-0", "tone-1", "tone-2"]);
  });
});
