import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_URL } from "../../../test/endpointFixtures.js";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { loadVersionedLeadRow } from "../leads/leadView.js";
import { additionalInfoUpdatedData } from "./catalog.js";
import { writeVersionedLeadChange } from "./changeLeadPg.js";
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
function planned(value: string) {
  const { emit, events } = collectEvents(t.app.ctx);
  const emitted = emit({
    orgId,
    leadId,
    type: "lead.additionalInfo.updated",
    data: additionalInfoUpdatedData({
      lead: { leadId, phone: "+12125550199", externalLeadId: null },
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

    const written = await writeVersionedLeadChange(
      t.app.ctx,
      orgId,
      leadId,
      version,
      stale.changes,
      stale.events,
    );

    expect(written).toBe(false);
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
      await writeVersionedLeadChange(t.app.ctx, orgId, leadId, version, fresh.changes, fresh.events),
    ).toBe(true);

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
    expect(await writeVersionedLeadChange(t.app.ctx, orgId, leadId, version, late.changes, late.events)).toBe(
      false,
    );
    const lead = await t.app.database.db
      .selectFrom("leads")
      .select("additional_info")
      .where("id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(lead.additional_info ?? "{}")).toEqual({ color: "green" });
  });
});
