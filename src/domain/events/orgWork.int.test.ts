import type { Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { orgIdOf } from "../../../test/webhookFixtures.js";
import type { DB } from "../../db/schema.js";
import { OrgWorkBatches } from "./orgWork.js";

/** Work of one org started together shares one transaction (orgWork.ts). */
let t: TestApp;
let batches: OrgWorkBatches;
beforeAll(async () => {
  t = await startTestApp();
  batches = new OrgWorkBatches(t.app.ctx, 64);
});
afterAll(() => t.close());

/** An org with three leads; their ids, in the order they were created. */
async function newOrg(): Promise<{ orgId: string; leads: string[] }> {
  const key = await t.newOrg();
  expect((await t.request("POST", "/v1/profiles", { key, body: { name: "P" } })).status).toBe(201);
  const leads: string[] = [];
  for (const [i, name] of ["Ann", "Ben", "Cy"].entries())
    leads.push(
      await createLead(t, key, {
        firstName: name,
        lastName: "L",
        phone: `+120255580${String(i).padStart(2, "0")}`,
        customerProfile: "P",
      }),
    );
  return { orgId: await orgIdOf(t, key), leads };
}

const summaries = async (orgId: string) =>
  new Map(
    (
      await t.app.database.db
        .selectFrom("leads")
        .select(["id", "summary"])
        .where("org_id", "=", orgId)
        .execute()
    ).map((l) => [l.id, l.summary]),
  );

describe("work of one org in one transaction", () => {
  it("runs the works of a batch in lead order, in one transaction, and answers each with its own result", async () => {
    const { orgId, leads } = await newOrg();
    const ran: string[] = [];
    const transactions = new Set<Transaction<DB>>();
    const [ann = "", ben = "", cy = ""] = leads;
    const arriving = [cy, ann, ben];
    const results = await Promise.all(
      arriving.map((leadId) =>
        batches.run(orgId, leadId, async (tx) => {
          ran.push(leadId);
          transactions.add(tx);
          await tx
            .updateTable("leads")
            .set({ summary: `read ${leadId}` })
            .where("id", "=", leadId)
            .execute();
          return leadId;
        }),
      ),
    );
    expect(results).toEqual(arriving);
    expect(ran).toEqual([...arriving].sort());
    expect(transactions.size).toBe(1);
    const written = await summaries(orgId);
    for (const leadId of leads) expect(written.get(leadId)).toBe(`read ${leadId}`);
  });

  it("when one work fails, runs each again alone: only that one fails and nothing of it stays", async () => {
    const { orgId, leads } = await newOrg();
    const [ann = "", ben = "", cy = ""] = leads;
    const runs = new Map<string, number>();
    const work = (leadId: string) => async (tx: Transaction<DB>) => {
      runs.set(leadId, (runs.get(leadId) ?? 0) + 1);
      await tx
        .updateTable("leads")
        .set({ summary: `read ${leadId}` })
        .where("id", "=", leadId)
        .execute();
      if (leadId === ben) throw new Error("the brain's reading was refused");
      return leadId;
    };
    const outcomes = await Promise.allSettled(
      [ann, ben, cy].map((leadId) => batches.run(orgId, leadId, work(leadId))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(outcomes[1]).toMatchObject({ reason: { message: "the brain's reading was refused" } });
    // Ann ran in the batch and again alone; Cy never ran in the batch (it failed at Ben), then alone.
    expect(Object.fromEntries(runs)).toEqual({ [ann]: 2, [ben]: 2, [cy]: 1 });
    const written = await summaries(orgId);
    expect(written.get(ann)).toBe(`read ${ann}`);
    expect(written.get(ben)).toBeNull();
    expect(written.get(cy)).toBe(`read ${cy}`);
  });
});
