import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { orgIdOf } from "../../../test/webhookFixtures.js";
import { up } from "./0007_sms_senders.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("migration 0007: senders already named in settings", () => {
  it("become owned by their org; of two orgs naming one, the older keeps it", async () => {
    const older = await orgIdOf(t, await t.newOrg());
    const newer = await orgIdOf(t, await t.newOrg());
    const third = await orgIdOf(t, await t.newOrg());
    const service = `MG${"1b".repeat(16)}`;
    const db = t.app.database.db;
    // Settings as they were stored before the migration: nothing stopped two orgs naming one number.
    const stored = [
      [older, { senders: { sms: { from: "+12025550401", messagingServiceSid: null } } }],
      [newer, { senders: { sms: { from: "+12025550401", messagingServiceSid: service } } }],
      [third, { assistantName: "No senders key at all" }],
    ] as const;
    for (const [orgId, data] of stored) {
      await db
        .insertInto("settings")
        .values({ org_id: orgId, data: JSON.stringify(data), updated_at: "2024-01-01T00:00:00.000Z" })
        .execute();
    }
    for (const table of ["sms_senders", "unrouted_inbound", "phone_opt_outs"]) {
      await db.schema.dropTable(table).execute();
    }

    await up(db as Kysely<unknown>);

    const rows = await db
      .selectFrom("sms_senders")
      .select(["sender", "org_id", "origin"])
      .orderBy("sender")
      .execute();
    expect(rows).toEqual([
      { sender: "+12025550401", org_id: older, origin: "settings" },
      { sender: service, org_id: newer, origin: "settings" },
    ]);
  });
});
