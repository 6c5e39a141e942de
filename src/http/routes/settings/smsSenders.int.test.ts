import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { orgIdOf } from "../../../../test/webhookFixtures.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const patchSettings = (key: string, body: unknown) => t.request("PATCH", "/v1/settings", { key, body });

async function ownerOf(sender: string): Promise<string | undefined> {
  const row = await t.app.database.db
    .selectFrom("sms_senders")
    .select("org_id")
    .where("sender", "=", sender)
    .executeTakeFirst();
  return row?.org_id;
}

describe("PATCH /v1/settings senders.sms: one org per sender", () => {
  it("two orgs claiming one number at once: exactly one 200 and one 409, and the winner owns it", async () => {
    for (let round = 0; round < 10; round++) {
      const number = `+1202557${String(round).padStart(4, "0")}`;
      const keys = [await t.newOrg(), await t.newOrg()];
      const responses = await Promise.all(
        keys.map((key) => patchSettings(key, { assistantName: "Mine", senders: { sms: { from: number } } })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = responses[0]?.status === 200 ? 0 : 1;
      const winnerKey = keys[winner] ?? "";
      const loserKey = keys[1 - winner] ?? "";
      expect(await ownerOf(number)).toBe(await orgIdOf(t, winnerKey));
      // The loser's whole patch was refused, not just the sender.
      const loser = await t.request("GET", "/v1/settings", { key: loserKey });
      expect(loser.body).toMatchObject({
        assistantName: "Leadwire Assistant",
        senders: { sms: { from: null } },
      });
    }
  });

  it("the same for a messaging service SID", async () => {
    const service = `MG${"7a".repeat(16)}`;
    const keys = [await t.newOrg(), await t.newOrg()];
    const responses = await Promise.all(
      keys.map((key) => patchSettings(key, { senders: { sms: { messagingServiceSid: service } } })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.status === 409)?.body).toMatchObject({
      code: "CONFLICT",
      details: [{ path: "senders.sms.messagingServiceSid" }],
    });
  });

  it("an org may name its own sender again, and frees the old one when it changes or clears it", async () => {
    const key = await t.newOrg();
    const orgId = await orgIdOf(t, key);
    expect((await patchSettings(key, { senders: { sms: { from: "+12025558001" } } })).status).toBe(200);
    expect((await patchSettings(key, { senders: { sms: { from: "+1 202 555 8001" } } })).status).toBe(200);
    expect((await patchSettings(key, { assistantName: "Again" })).status).toBe(200);
    expect(await ownerOf("+12025558001")).toBe(orgId);
    expect((await patchSettings(key, { senders: { sms: { from: "+12025558002" } } })).status).toBe(200);
    expect(await ownerOf("+12025558001")).toBeUndefined();
    expect(await ownerOf("+12025558002")).toBe(orgId);
    expect((await patchSettings(key, { senders: { sms: { from: null } } })).status).toBe(200);
    expect(await ownerOf("+12025558002")).toBeUndefined();
  });
});
