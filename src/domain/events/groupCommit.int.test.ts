import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead, createOrg, type Org } from "../../../test/apiFixtures.js";
import { startTestApp, type TestApp, testBackend } from "../../../test/harness.js";
import type { ListEventsResponse } from "../../http/routes/events/listEvents.js";
import type { GetLeadResponse } from "../../http/routes/leads/getLead.js";
import { newId } from "../../ids.js";
import { DomainError } from "../errors.js";
import { notificationData } from "./catalog.js";
import { inTransaction } from "./transaction.js";

/**
 * Concurrent changes on both backends. On SQLite they share one transaction (groupCommit.ts),
 * each in its own savepoint; on PostgreSQL each has its own. Either way every caller learns of its
 * own change only, a failing change leaves nothing behind, and no change is lost.
 */
let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await startTestApp();
  org = await createOrg(t, "Group commit");
  const res = await t.post("/v1/profiles", { name: "Burst" }, { key: org.key });
  expect(res.status).toBe(201);
});
afterAll(() => t.close());

describe("concurrent changes", () => {
  it("is on for SQLite only", () => {
    expect(t.app.ctx.groupCommit !== undefined).toBe(testBackend() === "sqlite");
  });

  it("keeps every one of a burst of PATCHes to one lead, each with its event", async () => {
    const leadId = await createLead(t, org.key, {
      firstName: "Ada",
      lastName: "Burst",
      phone: "+1 202 555 0170",
      customerProfile: "Burst",
    });
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const answers = await Promise.all([
      ...keys.map((k, i) => t.patch(`/v1/leads/${leadId}`, { additionalInfo: { [k]: i } }, { key: org.key })),
      // A bad change in the same burst is refused alone and changes nothing.
      t.patch(`/v1/leads/${leadId}`, { followUpStep: 99, additionalInfo: { bad: 1 } }, { key: org.key }),
    ]);
    expect(answers.slice(0, 30).map((a) => a.status)).toEqual(keys.map(() => 200));
    expect(answers[30]?.status).toBe(400);

    const lead = (await t.get<GetLeadResponse>(`/v1/leads/${leadId}`, { key: org.key })).body;
    expect(Object.keys(lead.additionalInfo).sort()).toEqual([...keys].sort());
    const events = await t.get<ListEventsResponse>(
      `/v1/events?leadId=${leadId}&type=lead.additionalInfo.updated&limit=100`,
      { key: org.key },
    );
    expect(events.body.events).toHaveLength(30);
    expect(JSON.stringify(events.body.events)).not.toContain('"bad"');
  });

  it("rolls back a work that fails after writing, alone, and gives its caller its own error", async () => {
    const now = new Date().toISOString();
    const tagWork = (name: string, fail: boolean) =>
      inTransaction(t.app.ctx, async (tx, emit) => {
        await tx
          .insertInto("tags")
          .values({
            id: newId("tag"),
            org_id: org.id,
            name,
            color: null,
            condition: null,
            is_manual: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await emit({ orgId: org.id, leadId: null, type: "notification", data: notification(name) });
        if (fail) throw new DomainError("CONFLICT", `work ${name} failed after writing`);
        return name;
      });
    const results = await Promise.allSettled([
      tagWork("first", false),
      tagWork("broken", true),
      tagWork("last", false),
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: "first" });
    expect(results[1]).toMatchObject({
      status: "rejected",
      reason: { message: "work broken failed after writing" },
    });
    expect(results[2]).toEqual({ status: "fulfilled", value: "last" });

    const names = await t.app.database.db
      .selectFrom("tags")
      .select("name")
      .where("org_id", "=", org.id)
      .where("name", "in", ["first", "broken", "last"])
      .execute();
    expect(names.map((r) => r.name).sort()).toEqual(["first", "last"]);
    const bodies = await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("org_id", "=", org.id)
      .where("type", "=", "notification")
      .execute();
    expect(bodies.map((r) => r.body).join()).not.toContain("broken");
    expect(bodies).toHaveLength(2);
  });
});

function notification(name: string) {
  return notificationData({
    lead: { leadId: "lead_none", phone: "+12025550170", externalLeadId: null },
    channel: "sms",
    notificationName: name,
    notificationMessage: `test ${name}`,
  });
}
