import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { orgIdOf } from "../../../../test/webhookFixtures.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { ListLeadTimelineResponse } from "../leads/listLeadTimeline.js";

let t: TestApp;
let key: string;
let token: string;
let phone = 400;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  const orgId = await orgIdOf(t, key);
  const org = await t.app.database.db
    .selectFrom("orgs")
    .select("inbound_token")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  token = org.inbound_token;
  await t.request("POST", "/v1/profiles", { key, body: { name: "P", emailEnabled: true } });
  t.clock.set("2024-01-15T14:30:00.000Z");
});
afterAll(async () => {
  await t.close();
});

async function newLead(email: string, extra: Record<string, unknown> = {}) {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const id = await createLead(t, key, {
    firstName: "Ada",
    lastName: "L",
    phone: p,
    customerProfile: "P",
    email,
    ...extra,
  });
  return { id, phone: p };
}

const bodiesOf = async (leadId: string, type: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("lead_id", "=", leadId)
      .where("type", "=", type)
      .orderBy("created_at")
      .orderBy("id")
      .execute()
  ).map((e) => e.body);

const mime = (...lines: string[]) => lines.join("\r\n");

const raw = (path: string, payload: string, contentType = "message/rfc822") =>
  t.app.http.inject({ method: "POST", url: path, headers: { "content-type": contentType }, payload });

const json = <TRes = unknown>(path: string, body: unknown) => t.post<TRes>(path, body, { key: null });

const TS = `"timestamp":"2024-01-15T14:30:00Z"}`;

function dsnFor(recipient: string): string {
  return mime(
    "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)",
    "To: bounces@leads.example.com",
    "Subject: Undelivered Mail Returned to Sender",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Your message could not be delivered.",
    "",
    "--b1",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.net",
    "",
    `Final-Recipient: rfc822; ${recipient}`,
    "Action: failed",
    "Status: 5.1.1",
    "",
    "--b1--",
    "",
  );
}

function arfFor(recipient: string): string {
  return mime(
    "From: <feedback@fbl.mailbox.example>",
    "To: <abuse@leads.example.com>",
    "Subject: FW: Suivi",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=feedback-report; boundary="p1"',
    "",
    "--p1",
    "Content-Type: text/plain; charset=US-ASCII",
    "",
    "This is an email abuse report.",
    "",
    "--p1",
    "Content-Type: message/feedback-report",
    "",
    "Feedback-Type: abuse",
    "User-Agent: SomeGenerator/1.0",
    "Version: 1",
    "",
    "--p1",
    "Content-Type: message/rfc822",
    "Content-Disposition: inline",
    "",
    "From: Leadwire Sales <sales@leads.example.com>",
    `To: "Annoyed Lead" <${recipient}>`,
    "Subject: Suivi",
    "",
    "Bonjour !",
    "",
    "--p1--",
    "",
  );
}

const optOutBody = (lead: { id: string; phone: string }, reason: string) =>
  `{"event":"optOut","data":{"leadId":"${lead.id}","phone":"${lead.phone}","channel":"email",` +
  `"optOutReason":"${reason}","isTwilioOptOut":null,"isDoNotContact":false},${TS}`;

describe("POST /inbound/email/{token}", () => {
  it("takes a JSON reply: message.received with its subject, timeline EMAIL, hasReplied once", async () => {
    const lead = await newLead("ada.json@example.com", { externalLeadId: "003XX1" });
    const reply = { from: "Ada.JSON@Example.com", to: "reply@in.example.com", subject: "Re: Suivi 🚀" };
    const first = await json(`/inbound/email/${token}`, { ...reply, text: "Oui, mardi 👍" });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ handled: true });
    await json(`/inbound/email/${token}`, { ...reply, text: "Encore moi" });

    expect(await bodiesOf(lead.id, "message.received")).toEqual([
      `{"event":"message.received","data":{"leadId":"${lead.id}","externalLeadId":"003XX1","phone":"${lead.phone}",` +
        `"channel":"email","profile":"P","content":{"subject":"Re: Suivi 🚀","text":"Oui, mardi 👍"}},${TS}`,
      `{"event":"message.received","data":{"leadId":"${lead.id}","externalLeadId":"003XX1","phone":"${lead.phone}",` +
        `"channel":"email","profile":"P","content":{"subject":"Re: Suivi 🚀","text":"Encore moi"}},${TS}`,
    ]);
    expect(await bodiesOf(lead.id, "leadTagged")).toEqual([
      `{"event":"leadTagged","data":{"leadId":"${lead.id}","externalLeadId":"003XX1","phone":"${lead.phone}",` +
        `"channel":"email","tag":"hasReplied"},${TS}`,
    ]);
    const got = await t.request("GET", `/v1/leads/${lead.id}`, { key });
    expect(got.body).toMatchObject({ hasReplied: true });
    const timeline = await t.get<ListLeadTimelineResponse>(
      `/v1/leads/${lead.id}/events?since=2024-01-01T00:00:00Z&types=EMAIL`,
      { key },
    );
    expect(timeline.body.events[0]?.data).toMatchObject({
      direction: "INBOUND",
      content: { text: "Oui, mardi 👍", subject: "Re: Suivi 🚀" },
      isAiGenerated: false,
      deliveryChannel: "EMAIL",
      status: "received",
    });
  });

  it("takes a raw MIME reply once per Message-ID and strips the quoted history", async () => {
    const lead = await newLead("zoe.mime@example.com");
    const message = mime(
      "From: Zoë <Zoe.Mime@example.com>",
      "To: reply@in.example.com",
      "Subject: =?UTF-8?Q?Re:_Visite_=C3=A0_Paris?=",
      "Message-ID: <reply-1@mail.example.com>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      "Oui, à mardi !",
      "",
      "On Mon, Jan 15, 2024 at 9:30 AM Sales <sales@example.com> wrote:",
      "> Êtes-vous disponible ?",
      "",
    );
    for (const contentType of ["message/rfc822", "text/plain"]) {
      const res = await raw(`/inbound/email/${token}`, message, contentType);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ handled: true });
    }
    expect(await bodiesOf(lead.id, "message.received")).toEqual([
      `{"event":"message.received","data":{"leadId":"${lead.id}","phone":"${lead.phone}","channel":"email",` +
        `"profile":"P","content":{"subject":"Re: Visite à Paris","text":"Oui, à mardi !"}},${TS}`,
    ]);
    expect(await bodiesOf(lead.id, "leadTagged")).toHaveLength(1);
  });

  it("accepts raw MIME above the API's 1 MiB JSON limit (attachments)", async () => {
    await newLead("big.mime@example.com");
    const attachment = Buffer.alloc(2 * 1024 * 1024, 7)
      .toString("base64")
      .replace(/.{76}/g, "$&\r\n");
    const message = mime(
      "From: big.mime@example.com",
      "To: reply@in.example.com",
      "Subject: Plans",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="m1"',
      "",
      "--m1",
      "Content-Type: text/plain; charset=UTF-8",
      "",
      "See the attached plans.",
      "--m1",
      'Content-Type: application/pdf; name="plans.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      attachment,
      "--m1--",
      "",
    );
    const res = await raw(`/inbound/email/${token}`, message);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ handled: true });
  });

  it("treats a DSN or ARF report posted as a reply as a bounce / complaint", async () => {
    const bounced = await newLead("gone.reply@example.net");
    const res = await raw(`/inbound/email/${token}`, dsnFor("Gone.Reply@example.net"));
    expect(res.json()).toEqual({ handled: true });
    expect(await bodiesOf(bounced.id, "optOut")).toEqual([optOutBody(bounced, "BOUNCE")]);
    expect(await bodiesOf(bounced.id, "message.received")).toEqual([]);

    const annoyed = await newLead("annoyed.reply@example.org");
    await raw(`/inbound/email/${token}`, arfFor("Annoyed.Reply@Example.org"));
    expect(await bodiesOf(annoyed.id, "optOut")).toEqual([optOutBody(annoyed, "COMPLAINT")]);
  });

  it("answers handled: false for a sender that is no lead of the org", async () => {
    const res = await json(`/inbound/email/${token}`, { from: "stranger@example.com", text: "hi" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ handled: false });
  });

  it("answers 404 for an unknown token, JSON or raw", async () => {
    await newLead("known@example.com");
    const byJson = await json("/inbound/email/not-a-token", { from: "known@example.com", text: "hi" });
    expect(byJson.status).toBe(404);
    expect(byJson.body).toMatchObject({ code: "NOT_FOUND" });
    const byRaw = await raw("/inbound/email/not-a-token", dsnFor("known@example.com"));
    expect(byRaw.statusCode).toBe(404);
    const events = await json("/inbound/email/not-a-token/events", {
      type: "bounce",
      recipient: "known@example.com",
    });
    expect(events.status).toBe(404);
  });

  it.each([
    ["from", { from: "not-an-email", text: "hi" }],
    ["text", { from: "a@example.com" }],
    ["priority", { from: "a@example.com", text: "hi", priority: "high" }],
  ])("answers 400 naming %s for a bad JSON body", async (path, body) => {
    const res = await json<ErrorBody>(`/inbound/email/${token}`, body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain(path);
  });
});

describe("POST /inbound/email/{token}/events", () => {
  it("opts out on a raw DSN bounce and an ARF complaint, once each", async () => {
    const bounced = await newLead("gone.lead@example.net");
    for (let i = 0; i < 2; i++) {
      const res = await raw(`/inbound/email/${token}/events`, dsnFor("Gone.Lead@example.net"));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ handled: true });
    }
    expect(await bodiesOf(bounced.id, "optOut")).toEqual([optOutBody(bounced, "BOUNCE")]);

    const annoyed = await newLead("annoyed.lead@example.org");
    await raw(`/inbound/email/${token}/events`, arfFor("Annoyed.Lead@Example.org"));
    expect(await bodiesOf(annoyed.id, "optOut")).toEqual([optOutBody(annoyed, "COMPLAINT")]);
    const got = await t.request("GET", `/v1/leads/${annoyed.id}`, { key });
    expect(got.body).toMatchObject({ isUnsubscribed: true });
  });

  it("opts out on JSON bounce and complaint events", async () => {
    const bounced = await newLead("json.bounce@example.com");
    const complained = await newLead("json.complaint@example.com");
    const a = await json(`/inbound/email/${token}/events`, {
      type: "bounce",
      recipient: "JSON.Bounce@example.com",
    });
    expect(a.body).toEqual({ handled: true });
    await json(`/inbound/email/${token}/events`, {
      type: "complaint",
      recipient: "json.complaint@example.com",
    });
    expect(await bodiesOf(bounced.id, "optOut")).toEqual([optOutBody(bounced, "BOUNCE")]);
    expect(await bodiesOf(complained.id, "optOut")).toEqual([optOutBody(complained, "COMPLAINT")]);
  });

  it("ignores a message that is not a report and an unknown recipient", async () => {
    const notReport = await raw(
      `/inbound/email/${token}/events`,
      mime("From: a@example.com", "To: b@example.com", "Subject: hi", "", "hello", ""),
    );
    expect(notReport.json()).toEqual({ handled: false });
    const unknown = await json(`/inbound/email/${token}/events`, {
      type: "bounce",
      recipient: "nobody@example.com",
    });
    expect(unknown.body).toEqual({ handled: false });
  });

  it("answers 400 naming the field for a bad JSON event", async () => {
    const res = await json<ErrorBody>(`/inbound/email/${token}/events`, {
      type: "delay",
      recipient: "a@example.com",
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d) => d.path)).toContain("type");
  });
});
