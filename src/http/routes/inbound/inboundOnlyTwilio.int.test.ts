import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { accountSid, messageSid, postSignedTwilio } from "../../../../test/twilioWebhooks.js";
import type { ListMessagesResponse } from "../messages/listMessages.js";

// TWILIO_AUTH_TOKEN alone: texts arrive through Twilio, nothing is sent through it.
const TOKEN = "inbound-only-token-0123456789abcdef";
const PUBLIC_URL = "https://leads.example.com";
const OWN_NUMBER = "+12025550177";
const LEAD_PHONE = "+12025550178";

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp({ env: { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_URL } });
  key = await t.newOrg();
  await t.request("PATCH", "/v1/settings", { key, body: { senders: { sms: { from: OWN_NUMBER } } } });
  await t.request("POST", "/v1/profiles", { key, body: { name: "P" } });
  await t.request("POST", "/v1/leads/create", {
    key,
    body: { firstName: "Ada", lastName: "L", phone: LEAD_PHONE, customerProfile: "P" },
  });
});
afterAll(() => t.close());

describe("Twilio configured for inbound only (TWILIO_AUTH_TOKEN without an account)", () => {
  it("accepts a text signed with the token and stores it on the lead", async () => {
    const answer = await postSignedTwilio(
      t,
      PUBLIC_URL,
      "/inbound/twilio/sms",
      {
        MessageSid: messageSid(),
        AccountSid: accountSid(),
        From: LEAD_PHONE,
        To: OWN_NUMBER,
        Body: "Is it still available?",
      },
      TOKEN,
    );
    expect(answer.status).toBe(200);
    const messages = await t.get<ListMessagesResponse>("/v1/messages", { key });
    const texts = messages.body.messages;
    expect(texts).toContainEqual(
      expect.objectContaining({ direction: "inbound", text: "Is it still available?" }),
    );
  });

  it("refuses a text signed with another token", async () => {
    const answer = await postSignedTwilio(
      t,
      PUBLIC_URL,
      "/inbound/twilio/sms",
      {
        MessageSid: messageSid(),
        AccountSid: accountSid(),
        From: LEAD_PHONE,
        To: OWN_NUMBER,
        Body: "forged",
      },
      "some-other-token",
    );
    expect(answer.status).toBe(403);
  });
});
