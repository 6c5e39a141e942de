import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead } from "../../../../test/apiFixtures.js";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import type { SendMessageResponse } from "../leads/sendMessage.js";
import type { ListDevOutboxResponse } from "../messages/listDevOutbox.js";

let t: TestApp;
let key: string;
let phone = 500;

beforeAll(async () => {
  t = await startTestApp();
  key = await t.newOrg();
  await t.request("POST", "/v1/profiles", { key, body: { name: "P", emailEnabled: true } });
  t.clock.set("2024-01-15T14:30:00.000Z"); // Monday 09:30 in New York: inside the window
});
afterAll(async () => {
  await t.close();
});

async function newLead(email: string) {
  const p = `+1202555${String(phone++).padStart(4, "0")}`;
  const id = await createLead(t, key, {
    firstName: "Zoë",
    lastName: "L",
    phone: p,
    customerProfile: "P",
    timeZone: "America/New_York",
    email,
  });
  return { id, phone: p };
}

async function sendEmail(leadId: string): Promise<string> {
  const res = await t.post<SendMessageResponse>(
    `/v1/leads/${leadId}/sendMessage`,
    { message: "Bonjour", channel: "email", subject: "Suivi" },
    { key },
  );
  expect(res.status).toBe(200);
  await t.app.messages.runDue();
  return res.body.messageId;
}

/** The unsubscribe path from the List-Unsubscribe header of the last email the dev sink recorded. */
async function unsubscribePath(): Promise<string> {
  const outbox = await t.get<ListDevOutboxResponse>("/v1/dev/outbox?limit=1", { key });
  const header = outbox.body.messages[0]?.headers?.["List-Unsubscribe"] ?? "";
  const match = /^<http:\/\/localhost:0(\/unsubscribe\/[A-Za-z0-9_-]+)>$/.exec(header);
  expect(match).not.toBeNull();
  return match?.[1] ?? "";
}

const optOutBodies = async (leadId: string) =>
  (
    await t.app.database.db
      .selectFrom("events")
      .select("body")
      .where("lead_id", "=", leadId)
      .where("type", "=", "optOut")
      .execute()
  ).map((e) => e.body);

const oneClick = (path: string) =>
  t.app.http.inject({
    method: "POST",
    url: path,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: "List-Unsubscribe=One-Click",
  });

describe("unsubscribe links", () => {
  it("GET shows a confirmation page and changes nothing; one-click POST opts out of email once", async () => {
    const lead = await newLead("zoe.unsub@example.com");
    await sendEmail(lead.id);
    const path = await unsubscribePath();

    const shown = await t.app.http.inject({ method: "GET", url: path });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(shown.body).toContain('<form method="post">');
    expect(shown.body).toContain("<button");
    expect(shown.body).toContain("z••@example.com");
    expect(shown.body).not.toContain("zoe.unsub@example.com");
    expect(await optOutBodies(lead.id)).toEqual([]);
    expect((await t.request("GET", `/v1/leads/${lead.id}`, { key })).body).toMatchObject({
      isUnsubscribed: false,
    });

    const done = await oneClick(path);
    expect(done.statusCode).toBe(200);
    expect(done.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(done.body).toContain("You are unsubscribed");
    const expected =
      `{"event":"optOut","data":{"leadId":"${lead.id}","phone":"${lead.phone}","channel":"email",` +
      `"optOutReason":"UNSUBSCRIBE_LINK","isTwilioOptOut":null,"isDoNotContact":false},` +
      `"timestamp":"2024-01-15T14:30:00Z"}`;
    expect(await optOutBodies(lead.id)).toEqual([expected]);

    expect((await oneClick(path)).statusCode).toBe(200);
    expect(await optOutBodies(lead.id)).toEqual([expected]);

    const blockedId = await sendEmail(lead.id);
    const row = await t.app.database.db
      .selectFrom("messages")
      .select(["status", "blocked_reason"])
      .where("id", "=", blockedId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "blocked", blocked_reason: "the lead opted out of email" });
  });

  it("the page's own form (an empty POST) unsubscribes too", async () => {
    const lead = await newLead("form.unsub@example.com");
    await sendEmail(lead.id);
    const path = await unsubscribePath();
    const done = await t.app.http.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    expect(done.statusCode).toBe(200);
    expect(await optOutBodies(lead.id)).toHaveLength(1);
    const again = await t.app.http.inject({ method: "GET", url: path });
    expect(again.body).toContain("already unsubscribed");
  });

  it("answers a 404 page for an unknown token, GET or POST", async () => {
    for (const method of ["GET", "POST"] as const) {
      const res = await t.app.http.inject({ method, url: "/unsubscribe/no-such-token" });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    }
  });
});
