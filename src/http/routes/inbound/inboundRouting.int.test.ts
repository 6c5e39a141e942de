import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { type FakeTwilio, startFakeTwilio } from "../../../../test/fakeTwilio.js";
import { ADMIN_KEY, startTestApp, type TestApp } from "../../../../test/harness.js";
import { accountSid, messageSid, postSignedTwilio } from "../../../../test/twilioWebhooks.js";
import { orgIdOf } from "../../../../test/webhookFixtures.js";
import type { GetLeadResponse } from "../leads/getLead.js";
import type { SendMessageResponse } from "../leads/sendMessage.js";
import type { ListUnroutedInboundResponse } from "./listUnroutedInbound.js";

const SERVER_SID = `AC${"e5".repeat(16)}`;
const SERVER_TOKEN = "server-twilio-token";
const SERVER_NUMBER = "+12025550100";
const UNCLAIMED = "+12025550199";
const PUBLIC_URL = "https://leadwire.example.com";

let t: TestApp;
let twilio: FakeTwilio;
let phone = 1000;
let number = 200;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SERVER_SID, authToken: SERVER_TOKEN });
  t = await startTestApp({
    env: {
      TWILIO_ACCOUNT_SID: SERVER_SID,
      TWILIO_AUTH_TOKEN: SERVER_TOKEN,
      TWILIO_FROM: SERVER_NUMBER,
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_URL,
    },
  });
  await t.request("POST", "/v1/profiles", { key: ADMIN_KEY, body: { name: "P" } });
  t.clock.set("2024-01-15T16:00:00.000Z"); // Monday 11:00 in New York: sends go out at once
});
afterAll(async () => {
  await t.close();
  await twilio.close();
});

const newPhone = () => `+1202555${String(phone++).padStart(4, "0")}`;
const newNumber = () => `+1202556${String(number++).padStart(4, "0")}`;

/** An org with a profile, and (when given) its own sending number. */
async function newOrg(ownNumber?: string): Promise<string> {
  const key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  if (ownNumber !== undefined) {
    const res = await patchSettings(key, { senders: { sms: { from: ownNumber } } });
    expect(res.status).toBe(200);
  }
  return key;
}

const patchSettings = (key: string, body: unknown) => t.request("PATCH", "/v1/settings", { key, body });

async function newLead(key: string, leadPhone: string): Promise<string> {
  return createLead(t, key, {
    firstName: "Ada",
    lastName: "L",
    phone: leadPhone,
    customerProfile: "P",
    timeZone: "America/New_York",
  });
}

/** A text from `from` to `to`, signed with `token` as Twilio would. */
function text(
  from: string,
  to: string,
  body: string,
  token = SERVER_TOKEN,
  extra: Record<string, string> = {},
) {
  return postSignedTwilio(
    t,
    PUBLIC_URL,
    "/inbound/twilio/sms",
    { MessageSid: messageSid(), AccountSid: SERVER_SID, From: from, To: to, Body: body, ...extra },
    token,
  );
}

async function lead(key: string, id: string) {
  const res = await t.get<GetLeadResponse>(`/v1/leads/${id}`, { key });
  return res.body;
}

const received = async (leadId: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("id")
      .where("lead_id", "=", leadId)
      .where("type", "=", "message.received")
      .execute()
  ).length;

/** Queues a text to the lead and runs the sender; the message as it ended. */
async function send(key: string, leadId: string) {
  const res = await t.post<SendMessageResponse>(
    `/v1/leads/${leadId}/sendMessage`,
    { message: "Hello" },
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

async function unrouted(key: string): Promise<ListUnroutedInboundResponse["messages"]> {
  const res = await t.get<ListUnroutedInboundResponse>("/v1/inbound/unrouted", { key });
  expect(res.status).toBe(200);
  return res.body.messages;
}

describe("who owns a sending number", () => {
  it("the server's number belongs to the default org; another org's claim is a 409 and changes nothing", async () => {
    const owner = await t.app.database.db
      .selectFrom("sms_senders")
      .select(["org_id", "origin"])
      .where("sender", "=", SERVER_NUMBER)
      .executeTakeFirst();
    expect(owner).toEqual({ org_id: await orgIdOf(t, ADMIN_KEY), origin: "server" });

    const b = await newOrg();
    const res = await patchSettings(b, { assistantName: "Bee", senders: { sms: { from: SERVER_NUMBER } } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", details: [{ path: "senders.sms.from" }] });
    const settings = await t.request("GET", "/v1/settings", { key: b });
    expect(settings.body).toMatchObject({
      assistantName: "Leadwire Assistant",
      senders: { sms: { from: null } },
    });
  });

  it("B claiming A's number is refused, and A's lead's STOP still opts A's lead out", async () => {
    const p = newPhone();
    const aLead = await newLead(ADMIN_KEY, p);
    const b = await newOrg();
    await newLead(b, newPhone());
    expect((await patchSettings(b, { senders: { sms: { from: SERVER_NUMBER } } })).status).toBe(409);
    expect((await text(p, SERVER_NUMBER, "STOP")).status).toBe(200);
    expect((await lead(ADMIN_KEY, aLead)).isUnsubscribed).toBe(true);
    expect(await send(ADMIN_KEY, aLead)).toMatchObject({ status: "blocked" });
  });

  it("an org with its own Twilio account cannot take the number, so A's genuine requests are never 403", async () => {
    const cSid = accountSid();
    const cToken = "c-own-twilio-token";
    const cNumber = newNumber();
    const c = await newOrg();
    const taken = await patchSettings(c, {
      twilio: { accountSid: cSid, authToken: cToken },
      senders: { sms: { from: SERVER_NUMBER } },
    });
    expect(taken.status).toBe(409);
    expect((await t.request("GET", "/v1/settings", { key: c })).body).toMatchObject({ twilio: null });
    const own = await patchSettings(c, {
      twilio: { accountSid: cSid, authToken: cToken },
      senders: { sms: { from: cNumber } },
    });
    expect(own.status).toBe(200);

    const p = newPhone();
    const aLead = await newLead(ADMIN_KEY, p);
    const cLead = await newLead(c, p);
    expect((await text(p, SERVER_NUMBER, "hello A", SERVER_TOKEN)).status).toBe(200);
    expect((await text(p, SERVER_NUMBER, "forged", cToken)).status).toBe(403);
    expect(await received(aLead)).toBe(1);
    // C's own number is checked with C's own token.
    expect((await text(p, cNumber, "hello C", cToken, { AccountSid: cSid })).status).toBe(200);
    expect((await text(p, cNumber, "forged", SERVER_TOKEN, { AccountSid: cSid })).status).toBe(403);
    expect(await received(cLead)).toBe(1);
    expect(await received(aLead)).toBe(1);
  });

  it("giving a number up frees it for another org", async () => {
    const x = newNumber();
    const first = await newOrg(x);
    const second = await newOrg();
    expect((await patchSettings(second, { senders: { sms: { from: x } } })).status).toBe(409);
    expect((await patchSettings(first, { senders: { sms: { from: newNumber() } } })).status).toBe(200);
    expect((await patchSettings(second, { senders: { sms: { from: x } } })).status).toBe(200);
    expect((await patchSettings(second, { senders: { sms: { from: null } } })).status).toBe(200);
    expect((await patchSettings(first, { senders: { sms: { from: x } } })).status).toBe(200);
  });
});

describe("routing inbound texts", () => {
  it("two orgs with a lead with the same phone: a STOP to A's number opts out only A's lead", async () => {
    const p = newPhone();
    const bNumber = newNumber();
    const b = await newOrg(bNumber);
    const aLead = await newLead(ADMIN_KEY, p);
    const bLead = await newLead(b, p);
    expect((await text(p, SERVER_NUMBER, "STOP")).status).toBe(200);
    expect((await lead(ADMIN_KEY, aLead)).isUnsubscribed).toBe(true);
    expect((await lead(b, bLead)).isUnsubscribed).toBe(false);
    expect((await text(p, bNumber, "Sounds good")).status).toBe(200);
    expect(await lead(b, bLead)).toMatchObject({ hasReplied: true, isUnsubscribed: false });
    expect(await received(bLead)).toBe(1);
    expect(await received(aLead)).toBe(1);
  });

  it("routes by the messaging service when the number it came to is nobody's", async () => {
    const service = `MG${"4f".repeat(16)}`;
    const e = await newOrg();
    expect((await patchSettings(e, { senders: { sms: { messagingServiceSid: service } } })).status).toBe(200);
    const other = await newOrg();
    const taken = await patchSettings(other, { senders: { sms: { messagingServiceSid: service } } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ details: [{ path: "senders.sms.messagingServiceSid" }] });
    const p = newPhone();
    const eLead = await newLead(e, p);
    const res = await text(p, UNCLAIMED, "via the pool", SERVER_TOKEN, { MessagingServiceSid: service });
    expect(res.status).toBe(200);
    expect(await received(eLead)).toBe(1);
  });
});

describe("sending needs a sender the org owns", () => {
  it("an org without its own number cannot text from the server's: blocked, with the reason on the timeline", async () => {
    const b = await newOrg();
    const bLead = await newLead(b, newPhone());
    const before = twilio.requests.length;
    const blocked = await send(b, bLead);
    expect(blocked.status).toBe("blocked");
    expect(blocked.blocked_reason).toMatch(/no SMS sender of its own.*belongs to another org/);
    expect(twilio.requests.length).toBe(before);
    const timeline = await t.request("GET", `/v1/leads/${bLead}/events?since=2024-01-01T00:00:00Z`, {
      key: b,
    });
    expect(JSON.stringify(timeline.body)).toContain("COMPLIANCE_BLOCKED");

    const bNumber = newNumber();
    expect((await patchSettings(b, { senders: { sms: { from: bNumber } } })).status).toBe(200);
    expect(await send(b, bLead)).toMatchObject({ status: "sent" });
    expect(twilio.requests.at(-1)?.params.From).toBe(bNumber);
    // The default org owns the server's number and sends from it.
    expect(await send(ADMIN_KEY, await newLead(ADMIN_KEY, newPhone()))).toMatchObject({ status: "sent" });
    expect(twilio.requests.at(-1)?.params.From).toBe(SERVER_NUMBER);
  });
});

describe("texts that reach no lead", () => {
  it("an unroutable STOP is kept, listed for operators and answered 503; a retry adds no row", async () => {
    const p = newPhone();
    const params = { MessageSid: messageSid(), AccountSid: SERVER_SID, From: p, To: UNCLAIMED, Body: "STOP" };
    const post = (token: string) => postSignedTwilio(t, PUBLIC_URL, "/inbound/twilio/sms", params, token);
    expect((await post("not-the-token")).status).toBe(403);
    expect((await post(SERVER_TOKEN)).status).toBe(503);
    expect((await post(SERVER_TOKEN)).status).toBe(503);
    const listed = (await unrouted(ADMIN_KEY)).filter((m) => m.messageSid === params.MessageSid);
    expect(listed).toEqual([
      expect.objectContaining({
        orgId: null,
        resolved: false,
        body: "STOP",
        from: p,
        to: UNCLAIMED,
        params: { ...params },
      }),
    ]);
    // Ordinary keys see only their own org's.
    const other = await newOrg();
    expect((await unrouted(other)).map((m) => m.messageSid)).not.toContain(params.MessageSid);
  });

  it("a STOP from a phone with no lead opts the phone out in that org: 200, and a later lead is never texted", async () => {
    const p = newPhone();
    const bNumber = newNumber();
    const b = await newOrg(bNumber);
    const stop = await text(p, bNumber, "Stop");
    expect(stop.status).toBe(200);
    expect(await unrouted(b)).toEqual([
      expect.objectContaining({ orgId: await orgIdOf(t, b), resolved: true, body: "Stop" }),
    ]);
    const bLead = await newLead(b, p);
    const blocked = await send(b, bLead);
    expect(blocked).toMatchObject({ status: "blocked" });
    expect(blocked.blocked_reason).toContain("opted out of sms");
    // Another org's lead with that phone is not affected.
    expect(await send(ADMIN_KEY, await newLead(ADMIN_KEY, p))).toMatchObject({ status: "sent" });
    // The lead opting back in ends the phone's opt-out too.
    expect((await text(p, bNumber, "START")).status).toBe(200);
    expect(await send(b, bLead)).toMatchObject({ status: "sent" });
  });

  it("any other text from a phone with no lead is kept and retried; the retry after the lead exists reaches it", async () => {
    const p = newPhone();
    const bNumber = newNumber();
    const b = await newOrg(bNumber);
    const params = {
      MessageSid: messageSid(),
      AccountSid: SERVER_SID,
      From: p,
      To: bNumber,
      Body: "who is this?",
    };
    const post = () => postSignedTwilio(t, PUBLIC_URL, "/inbound/twilio/sms", params, SERVER_TOKEN);
    expect((await post()).status).toBe(503);
    expect(await unrouted(b)).toEqual([expect.objectContaining({ resolved: false, body: "who is this?" })]);
    const bLead = await newLead(b, p);
    expect((await post()).status).toBe(200);
    expect(await received(bLead)).toBe(1);
    expect((await post()).status).toBe(200);
    expect(await received(bLead)).toBe(1);
    expect(await unrouted(b)).toEqual([
      expect.objectContaining({ messageSid: params.MessageSid, resolved: true }),
    ]);
  });

  it("an operator marks one resolved; another org's is not found", async () => {
    const bNumber = newNumber();
    const b = await newOrg(bNumber);
    const other = await newOrg();
    const params = {
      MessageSid: messageSid(),
      AccountSid: SERVER_SID,
      From: newPhone(),
      To: bNumber,
      Body: "hi",
    };
    expect((await postSignedTwilio(t, PUBLIC_URL, "/inbound/twilio/sms", params, SERVER_TOKEN)).status).toBe(
      503,
    );
    const path = `/v1/inbound/unrouted/${params.MessageSid}/resolve`;
    expect((await t.request("POST", path, { key: other })).status).toBe(404);
    const resolved = await t.request("POST", path, { key: b });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ messageSid: params.MessageSid, resolved: true });
    const open = await t.get<ListUnroutedInboundResponse>("/v1/inbound/unrouted?resolved=false", { key: b });
    expect(open.body.messages).toEqual([]);
  });
});
