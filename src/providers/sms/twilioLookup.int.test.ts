import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeTwilio,
  type FakeTwilioMessage,
  startFakeTwilio,
  twilioError,
} from "../../../test/fakeTwilio.js";
import type { SentMessageQuery } from "../../domain/messages/providers.js";
import { sameText } from "./twilioLookup.js";
import { createTwilioSmsProvider, type TwilioSmsProvider } from "./twilioSms.js";

const SID = `AC${"e5".repeat(16)}`;
const TOKEN = "lookup-token";
const FROM = "+12025550000";
const SERVICE = `MG${"f6".repeat(16)}`;
const TO = "+12025550123";
const SENT_AT = Date.parse("2024-01-15T16:30:00Z");

let twilio: FakeTwilio;
let provider: TwilioSmsProvider;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  provider = createTwilioSmsProvider({
    accountSid: SID,
    authToken: TOKEN,
    from: FROM,
    baseUrl: twilio.baseUrl,
    timeoutMs: 5000,
  });
});
afterAll(async () => {
  await provider.close();
  await twilio.close();
});
beforeEach(() => {
  twilio.messages.length = 0;
  twilio.requests.length = 0;
  twilio.respondWith(undefined);
});

/** A message as Twilio holds it, sent `offsetMs` after SENT_AT. */
function held(body: string, offsetMs: number, extra: Partial<FakeTwilioMessage> = {}): FakeTwilioMessage {
  const message: FakeTwilioMessage = {
    sid: `SM${randomBytes(16).toString("hex")}`,
    to: TO,
    from: FROM,
    body,
    date_sent: new Date(SENT_AT + offsetMs).toUTCString().replace("GMT", "+0000"),
    messaging_service_sid: null,
    status: "delivered",
    direction: "outbound-api",
    ...extra,
  };
  twilio.messages.push(message);
  return message;
}

const query = (body: string, extra: Partial<SentMessageQuery> = {}): SentMessageQuery => ({
  reference: { orgId: "org_x", messageId: "msg_x" },
  to: TO,
  body,
  sentAfter: new Date(SENT_AT - 60_000),
  sentBefore: new Date(SENT_AT + 3_600_000),
  ...extra,
});

const gets = () => twilio.requests.filter((r) => r.method === "GET");

describe("Twilio message lookup (Messages list resource)", () => {
  it("asks with To, From and the DateSent window, authenticated, and finds the message with its status", async () => {
    const target = held("Hi Ada!", 1000);
    expect(await provider.lookup(query("Hi Ada!"))).toEqual({
      kind: "answered",
      matches: [{ providerMessageId: target.sid, status: "delivered" }],
    });
    const [request] = gets();
    expect(request?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request?.auth).toEqual({ username: SID, password: TOKEN });
    expect(request?.query).toMatchObject({
      To: TO,
      From: FROM,
      "DateSent>": "2024-01-15T16:29:00Z",
      "DateSent<": "2024-01-15T17:30:00Z",
    });
  });

  it("follows next_page_uri to the end", async () => {
    const oldest = held("the one", 0);
    for (let i = 1; i <= 230; i++) held(`other ${i}`, i * 1000);
    const result = await provider.lookup(query("the one"));
    expect(result).toEqual({
      kind: "answered",
      matches: [{ providerMessageId: oldest.sid, status: "delivered" }],
    });
    expect(gets().map((r) => r.query.Page ?? "0")).toEqual(["0", "1", "2"]);
  });

  it("matches only outbound messages to the lead, from our number, inside the window", async () => {
    held("same text", 1000, { to: "+12025550999" });
    held("same text", 1000, { from: "+12025550111" });
    held("same text", 1000, { direction: "inbound", from: TO, to: FROM });
    held("same text", -3_600_000);
    expect(await provider.lookup(query("same text"))).toEqual({ kind: "answered", matches: [] });
  });

  it("with a Messaging Service, does not filter by number but by the service", async () => {
    const ours = held("via service", 1000, { from: "+12025550777", messaging_service_sid: SERVICE });
    held("via service", 2000, { from: "+12025550778", messaging_service_sid: `MG${"00".repeat(16)}` });
    const result = await provider.lookup(query("via service", { messagingServiceSid: SERVICE }));
    expect(result).toEqual({
      kind: "answered",
      matches: [{ providerMessageId: ours.sid, status: "delivered" }],
    });
    expect(gets()[0]?.query.From).toBeUndefined();
  });

  it("counts a body Twilio re-encoded or appended to as ours (missing it would mean sending twice)", () => {
    expect(sameText("It's here - see you…", "It’s here — see you...")).toBe(true);
    expect(sameText("See you soon", "See you soon\nReply STOP to unsubscribe.")).toBe(true);
    expect(sameText("See you soon", "See you soonish")).toBe(false);
    expect(sameText("See you soon", "Not you")).toBe(false);
  });

  it("reports failures, never an empty answer: 5xx, 429, a network error, a foreign next page", async () => {
    twilio.respondWith(() => twilioError(500, 20500, "Internal Server Error"));
    expect(await provider.lookup(query("x"))).toMatchObject({
      kind: "failed",
      message: expect.stringMatching(/500/),
    });
    twilio.respondWith(() => twilioError(429, 20429, "Too Many Requests"));
    expect(await provider.lookup(query("x"))).toMatchObject({
      kind: "failed",
      message: expect.stringMatching(/429/),
    });
    twilio.respondWith(() => ({ destroySocket: true }));
    expect(await provider.lookup(query("x"))).toMatchObject({ kind: "failed" });
    twilio.respondWith(() => ({
      status: 200,
      body: {
        messages: [],
        next_page_uri: "https://elsewhere.example/2010-04-01/Accounts/x/Messages.json?Page=1",
      },
    }));
    expect(await provider.lookup(query("x"))).toMatchObject({ kind: "failed" });
    twilio.respondWith(() => ({ status: 200, body: { unexpected: true } }));
    expect(await provider.lookup(query("x"))).toMatchObject({ kind: "failed" });
    expect(gets().every((r) => r.query.To === TO)).toBe(true);
  });
});
