import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../test/harness.js";
import { messageSid } from "../../../test/twilioWebhooks.js";
import { orgIdOf } from "../../../test/webhookFixtures.js";
import { getSettings } from "../settings/settings.js";
import { type InboundResult, type InboundSms, receiveSms } from "./receiveSms.js";

/**
 * Inbound texts of an org that arrive together are received in one transaction
 * (inboundTextBatches.ts), and each ends as it would have alone: the same answers, the same rows
 * and events as the same texts received one after another.
 */
let t: TestApp;
let number = 300;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const PHONES = { Ann: "+12025557001", Ben: "+12025557002", Cy: "+12025557003" } as const;
const STRANGER = "+12025557099";

/** An org with its own number and leads Ann, Ben and Cy; the lead ids by name. */
async function newOrg(): Promise<{ orgId: string; to: string; names: Map<string, string> }> {
  const key = await t.newOrg();
  const to = `+1202556${String(number++).padStart(4, "0")}`;
  expect((await t.request("POST", "/v1/profiles", { key, body: { name: "P" } })).status).toBe(201);
  expect(
    (await t.request("PATCH", "/v1/settings", { key, body: { senders: { sms: { from: to } } } })).status,
  ).toBe(200);
  const names = new Map<string, string>();
  for (const [name, phone] of Object.entries(PHONES))
    names.set(
      await createLead(t, key, { firstName: name, lastName: "L", phone, customerProfile: "P" }),
      name,
    );
  return { orgId: await orgIdOf(t, key), to, names };
}

/** Texts that each take a different way: replies, a lead twice, STOP, HELP, strangers, a retry. */
function texts(to: string): InboundSms[] {
  const retried = messageSid();
  return [
    { from: PHONES.Ann, body: "Is the house on Elm still available?" },
    { from: PHONES.Ben, body: "What time works for a call?" },
    { from: PHONES.Ann, body: "Also, is there parking?" },
    { from: PHONES.Cy, body: "STOP" },
    { from: STRANGER, body: "hello?" },
    { from: STRANGER, body: "stop" },
    { from: PHONES.Ben, body: "HELP" },
    { from: PHONES.Ben, body: "What time works for a call?", sid: retried },
    { from: PHONES.Cy, body: "sorry, wrong button", sid: retried },
  ].map(({ from, body, sid }) => ({ messageSid: sid ?? messageSid(), from, to, body }));
}

/** A result with its ids replaced by who they are, so two orgs' results compare. */
function named(result: InboundResult, names: Map<string, string>) {
  if (result.outcome === "lead") return { ...result, orgId: "org", leadId: names.get(result.leadId) };
  return { ...result, orgId: "org" };
}

/** What the texts left in the org, by lead name, in an order that does not depend on ids. */
async function stateOf(orgId: string, names: Map<string, string>) {
  const db = t.app.database.db;
  const name = (leadId: string | null) => (leadId === null ? "-" : (names.get(leadId) ?? "?"));
  const sorted = (rows: string[]) => rows.sort();
  return {
    replied: sorted(
      (await db.selectFrom("leads").select(["id", "has_replied"]).where("org_id", "=", orgId).execute()).map(
        (l) => `${name(l.id)}:${l.has_replied}`,
      ),
    ),
    messages: sorted(
      (
        await db
          .selectFrom("messages")
          .select(["lead_id", "direction", "text"])
          .where("org_id", "=", orgId)
          .execute()
      ).map((m) => `${name(m.lead_id)}:${m.direction}:${m.direction === "inbound" ? m.text : ""}`),
    ),
    events: sorted(
      (await db.selectFrom("events").select(["lead_id", "type"]).where("org_id", "=", orgId).execute())
        .filter((e) => e.type !== "lead.created")
        .map((e) => `${name(e.lead_id)}:${e.type}`),
    ),
    timeline: sorted(
      (await db.selectFrom("timeline").select(["lead_id", "type"]).where("org_id", "=", orgId).execute()).map(
        (e) => `${name(e.lead_id)}:${e.type}`,
      ),
    ),
    jobs: sorted(
      (
        await db
          .selectFrom("assistant_jobs")
          .select(["lead_id", "kind"])
          .where("org_id", "=", orgId)
          .execute()
      ).map((j) => `${name(j.lead_id)}:${j.kind}`),
    ),
    tags: sorted(
      (
        await db
          .selectFrom("lead_tags")
          .innerJoin("tags", "tags.id", "lead_tags.tag_id")
          .select(["lead_tags.lead_id", "tags.name"])
          .where("lead_tags.org_id", "=", orgId)
          .execute()
      ).map((tag) => `${name(tag.lead_id)}:${tag.name}`),
    ),
    optOuts: sorted(
      (
        await db
          .selectFrom("lead_opt_outs")
          .select(["lead_id", "channel"])
          .where("org_id", "=", orgId)
          .execute()
      ).map((o) => `${name(o.lead_id)}:${o.channel}`),
    ),
    phoneOptOuts: sorted(
      (
        await db
          .selectFrom("phone_opt_outs")
          .select(["phone", "channel"])
          .where("org_id", "=", orgId)
          .execute()
      ).map((o) => `${o.phone}:${o.channel}`),
    ),
    unrouted: sorted(
      (
        await db
          .selectFrom("unrouted_inbound")
          .select(["body", "resolved"])
          .where("org_id", "=", orgId)
          .execute()
      ).map((u) => `${u.body}:${u.resolved}`),
    ),
  };
}

describe("inbound texts received in one batch", () => {
  it("ends each text as receiving them one by one does, and commits them together", async () => {
    const batched = await newOrg();
    const settings = await getSettings(t.app.ctx, batched.orgId);
    // Started in one turn of the event loop: every text joins the same batch.
    const together = await Promise.all(
      texts(batched.to).map((sms) => receiveSms(t.app.ctx, sms, { orgId: batched.orgId, settings })),
    );

    const alone = await newOrg();
    const aloneSettings = await getSettings(t.app.ctx, alone.orgId);
    const oneByOne: InboundResult[] = [];
    for (const sms of texts(alone.to))
      oneByOne.push(await receiveSms(t.app.ctx, sms, { orgId: alone.orgId, settings: aloneSettings }));

    expect(together.map((r) => named(r, batched.names))).toEqual(oneByOne.map((r) => named(r, alone.names)));
    expect(await stateOf(batched.orgId, batched.names)).toEqual(await stateOf(alone.orgId, alone.names));

    // The retried message id counted once, as Ben's; Cy's STOP applied, the stranger's kept.
    expect(together.map((r) => (r.outcome === "lead" ? r.duplicate : r.outcome))).toEqual([
      false,
      false,
      false,
      false,
      "unrouted",
      "phone",
      false,
      false,
      true,
    ]);
    const state = await stateOf(batched.orgId, batched.names);
    expect(state.jobs).toEqual(["Ann:read", "Ann:read", "Ben:read", "Ben:read"]);
    expect(state.replied).toEqual(["Ann:1", "Ben:1", "Cy:0"]);
    expect(state.optOuts).toEqual(["Cy:sms"]);
    expect(state.phoneOptOuts).toEqual([`${STRANGER}:sms`]);

    // One transaction: every message.received of the batch has the same tick of the org's clock.
    const ticks = await t.app.database.db
      .selectFrom("events")
      .select("seq")
      .where("org_id", "=", batched.orgId)
      .where("type", "=", "message.received")
      .execute();
    expect(ticks).toHaveLength(6);
    expect(new Set(ticks.map((e) => String(e.seq))).size).toBe(1);
  });
});
