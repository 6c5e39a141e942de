import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";
import { insertEndpoint, orgIdOf } from "../../test/webhookFixtures.js";
import { ATTEMPT_COLUMNS } from "../jobs/webhooks/recordResults.js";
import { inJsonList, insertJsonRows, updateFromJsonRows } from "./bulk.js";
import type { Capabilities } from "./database.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("JSON batch parameters", () => {
  it("insert rows with nulls, numbers, quotes and non-Latin text exactly, and select them back by id list", async () => {
    t = await startTestApp();
    const { database } = t.app;
    const db = database.db;
    // Attempts need a delivery (foreign key); foreign keys are checked on both backends.
    const orgId = await orgIdOf(t, await t.newOrg());
    const endpointId = await insertEndpoint(t, orgId, "https://example.com/hook");
    await db
      .insertInto("webhook_deliveries")
      .values({
        id: "whd_1",
        org_id: orgId,
        endpoint_id: endpointId,
        event_id: "ev1",
        event_type: "leadTagged",
        status: "pending",
        attempts: 0,
        next_attempt_at: null,
        locked_by: null,
        locked_until: null,
        last_status_code: null,
        last_error: null,
        created_at: "2024-01-15T14:30:00.000Z",
        updated_at: "2024-01-15T14:30:00.000Z",
        completed_at: null,
      })
      .execute();
    const rows = [
      [
        "wha_1",
        "whd_1",
        "org_1",
        "2024-01-15T14:30:00.000Z",
        12,
        200,
        `{"ok":"it's \\"fine\\" 👋 こんにちは"}`,
        null,
        1,
        "w1",
        '{"webhook-id":"abc","webhook-signature":"v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="}',
      ],
      [
        "wha_2",
        "whd_1",
        "org_1",
        "2024-01-15T14:31:00.000Z",
        15_000,
        null,
        null,
        "ETIMEDOUT ' ; drop table x",
        0,
        null,
        null,
      ],
      ["wha_3", "whd_1", "org_1", "2024-01-15T14:32:00.000Z", 0, 503, "", null, 0, "w'2", "{}"],
    ];
    const asObjects = rows.map((row) => Object.fromEntries(ATTEMPT_COLUMNS.map((c, i) => [c.name, row[i]])));
    await insertJsonRows(database, "webhook_attempts", ATTEMPT_COLUMNS, asObjects).execute(db);
    const stored = await db.selectFrom("webhook_attempts").selectAll().orderBy("id").execute();
    expect(stored.map((r) => ATTEMPT_COLUMNS.map((c) => r[c.name]))).toEqual(rows);

    const picked = await db
      .selectFrom("webhook_attempts")
      .select("id")
      .where(inJsonList(database, "id", ["wha_3", "wha_1", "nope", "it's"]))
      .orderBy("id")
      .execute();
    expect(picked.map((r) => r.id)).toEqual(["wha_1", "wha_3"]);
    const none = await db
      .selectFrom("webhook_attempts")
      .select("id")
      .where(inJsonList(database, "id", []))
      .execute();
    expect(none).toEqual([]);
  });

  it("update each row with its own values, only where the precondition still holds", async () => {
    t = await startTestApp();
    const { database } = t.app;
    const db = database.db;
    const orgId = await orgIdOf(t, await t.newOrg());
    const ids = await Promise.all(
      ["https://a.example.com/hook", "https://b.example.com/hook", "https://c.example.com/hook"].map((url) =>
        insertEndpoint(t as TestApp, orgId, url),
      ),
    );
    const [a, b, c] = ids as [string, string, string];
    await updateFromJsonRows(
      database,
      "webhook_endpoints",
      [
        { name: "id", type: "text" },
        { name: "enabled", type: "integer" },
      ],
      [
        { name: "description", type: "text" },
        { name: "max_concurrency", type: "integer" },
      ],
      [
        { match: { id: a, enabled: 1 }, set: { description: "l'été 🌞 夏", max_concurrency: 3 } },
        // Precondition fails (the endpoint is enabled): left alone.
        { match: { id: b, enabled: 0 }, set: { description: "never written", max_concurrency: 99 } },
        { match: { id: c, enabled: 1 }, set: { description: null, max_concurrency: 7 } },
      ],
    ).execute(db);
    const rows = await db
      .selectFrom("webhook_endpoints")
      .select(["id", "description", "max_concurrency"])
      .where("org_id", "=", orgId)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, [r.description, r.max_concurrency]]));
    expect(byId.get(a)).toEqual(["l'été 🌞 夏", 3]);
    expect(byId.get(b)).toEqual([null, 10]);
    expect(byId.get(c)).toEqual([null, 7]);
  });

  it("take only the table's own columns, and rows keyed by them (checked by tsc, built here unrun)", () => {
    const capabilities: Capabilities = {
      skipLocked: false,
      listenNotify: false,
      singleWriter: true,
      rowLocks: false,
      jsonTable: "json_each",
      deadRowVersions: false,
      versionedLeadWrites: false,
    };
    const backend = { capabilities };
    const id = [{ name: "id", type: "text" }] as const;
    const description = [{ name: "description", type: "text" }] as const;
    // @ts-expect-error: a misspelt column is not one of the table's
    updateFromJsonRows(backend, "webhook_endpoints", id, [{ name: "descripton", type: "text" }], []);
    // @ts-expect-error: a row must give every column it names
    updateFromJsonRows(backend, "webhook_endpoints", id, description, [{ match: { id: "whe_1" }, set: {} }]);
    updateFromJsonRows(backend, "webhook_endpoints", id, description, [
      // @ts-expect-error: a match value may not be null (null = null never matches)
      { match: { id: null }, set: { description: "x" } },
    ]);
    // @ts-expect-error: a value of the wrong type for its column
    insertJsonRows(backend, "webhook_attempts", ATTEMPT_COLUMNS, [{ id: "wha_1", succeeded: 2 }]);
    // @ts-expect-error: no such table
    insertJsonRows(backend, "webhook_attempt", ATTEMPT_COLUMNS, []);
  });
});
