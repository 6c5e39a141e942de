import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { CreateApiKeyResponse } from "../src/http/routes/apiKeys/createApiKey.js";
import type { ListApiKeysResponse } from "../src/http/routes/apiKeys/listApiKeys.js";
import type { GetLeadResponse } from "../src/http/routes/leads/getLead.js";
import type { CreateOrgResponse } from "../src/http/routes/orgs/createOrg.js";
import type { CreateProfileResponse } from "../src/http/routes/profiles/createProfile.js";
import type { CreateEndpointResponse } from "../src/http/routes/webhooks/createEndpoint.js";
import type { RotateSecretResponse } from "../src/http/routes/webhooks/rotateSecret.js";
import { createLead } from "./apiFixtures.js";
import { startTestApp, type TestApp } from "./harness.js";

/**
 * Read-modify-writes racing each other. On PostgreSQL the in-process app has a pool of
 * connections, so two requests really run at the same moment; each of these lost a change
 * before rows were locked for the read.
 */
let t: TestApp;
let key: string;
let phone = 1000;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  const profile = { name: "Race", followUpConfig: { "1": { hours: 24, channel: "text" } } };
  expect((await t.request("POST", "/v1/profiles", { key, body: profile })).status).toBe(201);
});
afterAll(() => t.close());

async function newLead(): Promise<string> {
  const body = {
    firstName: "Ada",
    lastName: "Race",
    phone: `+1 202 555 ${phone++}`,
    customerProfile: "Race",
  };
  return createLead(t, key, body);
}

const getLead = async (id: string) => (await t.get<GetLeadResponse>(`/v1/leads/${id}`, { key })).body;

/** The stored body of an additionalInfo event, as far as these tests read it. */
const infoEventSchema = z.object({
  data: z.object({ additionalInfo: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })) }),
});

const patch = (id: string, body: unknown) => t.request("PATCH", `/v1/leads/${id}`, { key, body });

async function infoEvents(leadId: string) {
  const rows = await t.app.database.db
    .selectFrom("events")
    .select("body")
    .where("lead_id", "=", leadId)
    .where("type", "=", "lead.additionalInfo.updated")
    .execute();
  return rows.map((r) => infoEventSchema.parse(JSON.parse(r.body)).data.additionalInfo);
}

describe("concurrent writes keep every change", () => {
  it("two PATCHes with different additionalInfo keys at once keep both, 30 times in a row", async () => {
    for (let trial = 0; trial < 30; trial++) {
      const id = await newLead();
      const [a, b] = await Promise.all([
        patch(id, { additionalInfo: { a: trial } }),
        patch(id, { additionalInfo: { b: trial } }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const lead = await getLead(id);
      expect(lead.additionalInfo).toEqual({ a: trial, b: trial });
      const events = await infoEvents(id);
      expect(events).toHaveLength(2);
      expect(events).toEqual(
        expect.arrayContaining([{ a: { old: null, new: trial } }, { b: { old: null, new: trial } }]),
      );
    }
  });

  it("two PATCHes of the same key at once: the second event's old value is what the first wrote", async () => {
    for (let trial = 0; trial < 10; trial++) {
      const id = await newLead();
      await Promise.all([
        patch(id, { additionalInfo: { stage: "first" } }),
        patch(id, { additionalInfo: { stage: "second" } }),
      ]);
      const lead = await getLead(id);
      const events = (await infoEvents(id)).map((e) => e.stage);
      expect(events).toHaveLength(2);
      // Whichever ran first, the chain is consistent: null -> x, x -> y, and y is what is stored.
      const firstApplied = events.find((e) => e?.old === null);
      const secondApplied = events.find((e) => e?.old !== null);
      expect(secondApplied?.old).toBe(firstApplied?.new);
      expect(lead.additionalInfo.stage).toBe(secondApplied?.new);
    }
  });

  it("addContext and PATCH merging additionalInfo at once keep both", async () => {
    for (let trial = 0; trial < 10; trial++) {
      const id = await newLead();
      const [a, b] = await Promise.all([
        t.request("POST", `/v1/leads/${id}/addContext`, {
          key,
          body: { additionalInfo: { fromContext: 1 } },
        }),
        patch(id, { additionalInfo: { fromPatch: 2 } }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const lead = await getLead(id);
      expect(lead.additionalInfo).toEqual({ fromContext: 1, fromPatch: 2 });
    }
  });

  it("two profile PATCHes of different fields at once keep both", async () => {
    for (let trial = 0; trial < 10; trial++) {
      const created = await t.post<CreateProfileResponse>("/v1/profiles", { name: `P${trial}` }, { key });
      const id = created.body.id;
      await Promise.all([
        t.request("PATCH", `/v1/profiles/${id}`, { key, body: { description: `d${trial}` } }),
        t.request("PATCH", `/v1/profiles/${id}`, { key, body: { initialMessage: `Hi ${trial}` } }),
      ]);
      const profile = (await t.get(`/v1/profiles/${id}`, { key })).body;
      expect(profile).toMatchObject({ description: `d${trial}`, initialMessage: `Hi ${trial}` });
    }
  });

  it("two secret rotations at once: the surviving previous secret is the other rotation's secret", async () => {
    const created = await t.post<CreateEndpointResponse>(
      "/v1/webhooks/endpoints",
      { url: "https://93.184.215.14/hook", events: ["*"] },
      { key },
    );
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    for (let trial = 0; trial < 10; trial++) {
      const answers = await Promise.all([
        t.post<RotateSecretResponse>(`/v1/webhooks/endpoints/${id}/rotate-secret`, undefined, { key }),
        t.post<RotateSecretResponse>(`/v1/webhooks/endpoints/${id}/rotate-secret`, undefined, { key }),
      ]);
      const issued = answers.map((r) => r.body.secret);
      const row = await t.app.database.db
        .selectFrom("webhook_endpoints")
        .select(["secret", "previous_secret"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      // Both secrets handed out still sign: one is current, the other is the previous one.
      expect([row.secret, row.previous_secret].sort()).toEqual([...issued].sort());
    }
  });

  it("revoking an org's two remaining keys at once leaves one: 200 and 409", async () => {
    for (let trial = 0; trial < 5; trial++) {
      const orgKey = await t.newOrg();
      const list = await t.get<ListApiKeysResponse>("/v1/api-keys", { key: orgKey });
      const [first] = list.body.apiKeys;
      const created = await t.post<CreateApiKeyResponse>("/v1/api-keys", { name: "second" }, { key: orgKey });
      const second = created.body;
      const answers = await Promise.all([
        t.request("DELETE", `/v1/api-keys/${first?.id}`, { key: orgKey }),
        t.request("DELETE", `/v1/api-keys/${second.id}`, { key: orgKey }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const live = await t.app.database.db
        .selectFrom("api_keys")
        .select("id")
        .where("id", "in", [first?.id ?? "", second.id])
        .where("revoked_at", "is", null)
        .execute();
      expect(live).toHaveLength(1);
    }
  });

  it("creates racing for an org's last free places never pass its lead limit", async () => {
    const res = await t.post<CreateOrgResponse>("/v1/orgs", { name: "Limited", leadLimit: 5 });
    expect(res.status, res.text).toBe(201);
    const limitedKey = res.body.apiKey.key;
    const profile = await t.request("POST", "/v1/profiles", { key: limitedKey, body: { name: "L" } });
    expect(profile.status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request("POST", "/v1/leads/create", {
          key: limitedKey,
          body: { firstName: "L", lastName: `${i}`, phone: `+1 303 555 ${1000 + i}`, customerProfile: "L" },
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 403)).toHaveLength(15);
  });
});
