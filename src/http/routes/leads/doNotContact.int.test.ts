import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { SendMessageResponse } from "./sendMessage.js";

let t: TestApp;
let key: string;
let phone = 600;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P", emailEnabled: true } });
  t.clock.set("2024-01-15T14:30:00.000Z"); // Monday 09:30 in New York: inside the window
});
afterAll(async () => {
  await t.close();
});

async function newLead(extra: Record<string, unknown> = {}) {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const id = await createLead(t, key, {
    firstName: "Ada",
    lastName: "L",
    phone: p,
    customerProfile: "P",
    timeZone: "America/New_York",
    ...extra,
  });
  return { id, phone: p };
}

/** doNotContact and optOut bodies of the lead, in the order they were emitted. */
const stopEvents = async (leadId: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("lead_id", "=", leadId)
      .where("type", "in", ["doNotContact", "optOut"])
      .orderBy("id")
      .execute()
  ).map((e) => e.body);

const TS = `"timestamp":"2024-01-15T14:30:00Z"}`;

const markDnc = <TRes = unknown>(leadId: string, body?: unknown, withKey = key) =>
  t.post<TRes>(`/v1/leads/${leadId}/doNotContact`, body, { key: withKey });

async function sendStatus(leadId: string, channel: "sms" | "email") {
  const res = await t.post<SendMessageResponse>(
    `/v1/leads/${leadId}/sendMessage`,
    { message: "hello?", channel, ...(channel === "email" ? { subject: "Hi" } : {}) },
    { key },
  );
  expect(res.status).toBe(200);
  await t.app.messages.runDue();
  return t.app.database.db
    .selectFrom("messages")
    .select(["status", "blocked_reason"])
    .where("id", "=", res.body.messageId)
    .executeTakeFirstOrThrow();
}

describe("POST /v1/leads/{leadId}/doNotContact", () => {
  it("emits doNotContact, then one optOut per channel with isDoNotContact, and blocks every send", async () => {
    const lead = await newLead({ email: "ada.dnc@example.com", externalLeadId: "003XX9" });
    const res = await markDnc(lead.id, { optOutMessage: "Arrêtez de me contacter 🙏" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Lead marked as do not contact." });

    const ref = `"leadId":"${lead.id}","externalLeadId":"003XX9","phone":"${lead.phone}"`;
    expect(await stopEvents(lead.id)).toEqual([
      `{"event":"doNotContact","data":{${ref},"email":"ada.dnc@example.com","optOutMessage":"Arrêtez de me contacter 🙏"},${TS}`,
      `{"event":"optOut","data":{${ref},"channel":"sms","optOutReason":null,"isTwilioOptOut":false,` +
        `"optOutMessage":"Arrêtez de me contacter 🙏","isDoNotContact":true},${TS}`,
      `{"event":"optOut","data":{${ref},"channel":"email","optOutReason":"MANUAL","isTwilioOptOut":null,` +
        `"optOutMessage":"Arrêtez de me contacter 🙏","isDoNotContact":true},${TS}`,
    ]);

    const check = await t.request("GET", `/v1/dnc/${encodeURIComponent(lead.phone)}`, { key });
    expect(check.body).toEqual({ phone: lead.phone, onList: true, addedAt: "2024-01-15T14:30:00.000Z" });
    expect((await t.request("GET", `/v1/leads/${lead.id}`, { key })).body).toMatchObject({
      isUnsubscribed: true,
    });
    expect(await sendStatus(lead.id, "sms")).toMatchObject({ status: "blocked" });
    expect(await sendStatus(lead.id, "email")).toMatchObject({ status: "blocked" });
  });

  it("without a body: optOutMessage null, email null and a single optOut for a lead without email", async () => {
    const lead = await newLead();
    const res = await markDnc(lead.id);
    expect(res.status).toBe(200);
    const ref = `"leadId":"${lead.id}","phone":"${lead.phone}"`;
    expect(await stopEvents(lead.id)).toEqual([
      `{"event":"doNotContact","data":{${ref},"email":null,"optOutMessage":null},${TS}`,
      `{"event":"optOut","data":{${ref},"channel":"sms","optOutReason":null,"isTwilioOptOut":false,"isDoNotContact":true},${TS}`,
    ]);
    // Registering the phone again adds nothing: it is already listed.
    await t.request("POST", "/v1/dnc/register", { key, body: { phone: lead.phone } });
    expect(await stopEvents(lead.id)).toHaveLength(2);
  });

  it("registering a lead's phone on the DNC list runs the same flow, once", async () => {
    const lead = await newLead({ email: "reg.dnc@example.com" });
    for (let i = 0; i < 2; i++) {
      const res = await t.request("POST", "/v1/dnc/register", { key, body: { phone: lead.phone } });
      expect(res.status).toBe(200);
    }
    const ref = `"leadId":"${lead.id}","phone":"${lead.phone}"`;
    expect(await stopEvents(lead.id)).toEqual([
      `{"event":"doNotContact","data":{${ref},"email":"reg.dnc@example.com","optOutMessage":null},${TS}`,
      `{"event":"optOut","data":{${ref},"channel":"sms","optOutReason":null,"isTwilioOptOut":false,"isDoNotContact":true},${TS}`,
      `{"event":"optOut","data":{${ref},"channel":"email","optOutReason":"MANUAL","isTwilioOptOut":null,"isDoNotContact":true},${TS}`,
    ]);
  });

  it("answers 404 for another org's lead and changes nothing", async () => {
    const lead = await newLead();
    const other = await t.newOrg();
    const res = await markDnc(lead.id, {}, other);
    expect(res.status).toBe(404);
    expect(await stopEvents(lead.id)).toEqual([]);
    const check = await t.request("GET", `/v1/dnc/${encodeURIComponent(lead.phone)}`, { key });
    expect(check.body).toMatchObject({ onList: false });
  });

  it.each([
    ["optOutMessage", { optOutMessage: "x".repeat(1601) }],
    ["reason", { reason: "asked" }],
  ])("answers 400 naming %s", async (path, body) => {
    const lead = await newLead();
    const res = await markDnc<ErrorBody>(lead.id, body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });
});
