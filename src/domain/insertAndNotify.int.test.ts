import type { Notification, PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness.js";
import type { Tx } from "./context.js";
import { insertAndNotify } from "./insertAndNotify.js";

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.newOrg("notify-org");
  const org = await t.app.database.db
    .selectFrom("orgs")
    .select("id")
    .where("name", "=", "notify-org")
    .executeTakeFirstOrThrow();
  orgId = org.id;
});
afterAll(() => t.close());

const CHANNEL = "leadwire_insert_and_notify_test";

/** An insert of a do-not-contact phone that does nothing when the phone is there already. */
async function addDnc(tx: Tx, phone: string): Promise<void> {
  const insert = tx
    .insertInto("dnc")
    .values({ org_id: orgId, phone, created_at: "2024-01-15T14:30:00.000Z" })
    .onConflict((oc) => oc.columns(["org_id", "phone"]).doNothing());
  await insertAndNotify(tx, t.app.database.capabilities, CHANNEL, insert);
}

async function dncPhones(): Promise<string[]> {
  const rows = await t.app.database.db
    .selectFrom("dnc")
    .select("phone")
    .where("org_id", "=", orgId)
    .execute();
  return rows.map((r) => r.phone).sort();
}

/** On PostgreSQL, a connection listening on CHANNEL and what it heard; on SQLite, nothing. */
async function listen(): Promise<{ listener: PoolClient | undefined; heard: Notification[] }> {
  const heard: Notification[] = [];
  const pool = t.app.database.pgPool;
  if (pool === undefined) return { listener: undefined, heard };
  const listener = await pool.connect();
  listener.on("notification", (n) => heard.push(n));
  await listener.query(`listen ${CHANNEL}`);
  return { listener, heard };
}

describe("insertAndNotify", () => {
  it("inserts the row, and on PostgreSQL notifies on commit only, once per statement, conflict or not", async () => {
    const { listener, heard } = await listen();
    try {
      await t.app.database.db.transaction().execute(async (tx) => {
        await addDnc(tx, "+12025550101");
        // The same row again: nothing inserted, and the listeners are told all the same.
        await addDnc(tx, "+12025550101");
        await addDnc(tx, "+12025550102");
        expect(heard).toEqual([]);
      });
      expect(await dncPhones()).toEqual(["+12025550101", "+12025550102"]);
      if (listener !== undefined) {
        // PostgreSQL folds identical notifications of one transaction into one.
        await vi.waitFor(() => expect(heard.map((n) => [n.channel, n.payload])).toEqual([[CHANNEL, ""]]), {
          timeout: 20_000,
        });
      }
    } finally {
      listener?.release();
    }
  });

  it("tells no one about a transaction that rolled back, and leaves no row", async () => {
    const { listener, heard } = await listen();
    try {
      await expect(
        t.app.database.db.transaction().execute(async (tx) => {
          await addDnc(tx, "+12025550103");
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await dncPhones()).not.toContain("+12025550103");
      if (listener !== undefined) {
        // A later notification on the same connection arrives after any from the rolled-back one would.
        await listener.query(`notify ${CHANNEL}, 'marker'`);
        await vi.waitFor(() => expect(heard.map((n) => n.payload)).toContain("marker"), { timeout: 20_000 });
        expect(heard.map((n) => n.payload)).toEqual(["marker"]);
      }
    } finally {
      listener?.release();
    }
  });
});
