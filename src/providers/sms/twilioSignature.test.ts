import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  parseTwilioInbound,
  parseTwilioStatusCallback,
  twilioSignature,
  verifyTwilioSignature,
} from "./twilioSignature.js";

const TOKEN = "12345678901234567890123456789012";
const SMS_URL = "https://example.com/inbound/twilio/sms";
const PARAMS = { From: "+12025550189", To: "+12025550100", Body: "STOP", MessageSid: "SM123" };

/** Twilio's documented algorithm, spelled out by hand: SMS_URL, then name+value sorted by name. */
const EXPECTED = createHmac("sha1", TOKEN)
  .update(`${SMS_URL}BodySTOPFrom+12025550189MessageSidSM123To+12025550100`, "utf8")
  .digest("base64");

describe("twilioSignature", () => {
  it("matches an independently computed vector", () => {
    expect(twilioSignature(SMS_URL, PARAMS, TOKEN)).toBe(EXPECTED);
  });

  it("matches the example in Twilio's documentation", () => {
    const params = {
      CallSid: "CA1234567890ABCDE",
      Caller: "+14158675310",
      Digits: "1234",
      From: "+14158675310",
      To: "+18005551212",
    };
    expect(twilioSignature("https://mycompany.com/myapp.php?foo=1&bar=2", params, "12345")).toBe(
      "GvWf1cFY/Q7PnoempGyD5oXAezc=",
    );
  });

  it("does not depend on the order parameters arrive in", () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(twilioSignature(SMS_URL, reversed, TOKEN)).toBe(EXPECTED);
  });

  it("sorts case-sensitively, upper case first, as Twilio does", () => {
    const data = `${SMS_URL}Zed1apple2`;
    const expected = createHmac("sha1", TOKEN).update(data).digest("base64");
    expect(twilioSignature(SMS_URL, { apple: "2", Zed: "1" }, TOKEN)).toBe(expected);
  });

  it("signs a repeated name as each distinct value, sorted", () => {
    const data = `${SMS_URL}BodyhiMediaUrlhttps://a.example/1MediaUrlhttps://b.example/2`;
    const expected = createHmac("sha1", TOKEN).update(data).digest("base64");
    const params = {
      MediaUrl: ["https://b.example/2", "https://a.example/1", "https://b.example/2"],
      Body: "hi",
    };
    expect(twilioSignature(SMS_URL, params, TOKEN)).toBe(expected);
  });

  it("hashes non-ASCII text as UTF-8", () => {
    const data = `${SMS_URL}Bodyçava 🏠`;
    const expected = createHmac("sha1", TOKEN).update(Buffer.from(data, "utf8")).digest("base64");
    expect(twilioSignature(SMS_URL, { Body: "çava 🏠" }, TOKEN)).toBe(expected);
  });
});

describe("verifyTwilioSignature", () => {
  it("accepts the right signature", () => {
    expect(verifyTwilioSignature(SMS_URL, PARAMS, TOKEN, EXPECTED)).toBe(true);
  });

  it("refuses a changed parameter, an added one, or a removed one", () => {
    expect(verifyTwilioSignature(SMS_URL, { ...PARAMS, Body: "START" }, TOKEN, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(SMS_URL, { ...PARAMS, OptOutType: "STOP" }, TOKEN, EXPECTED)).toBe(false);
    const { Body: _dropped, ...withoutBody } = PARAMS;
    expect(verifyTwilioSignature(SMS_URL, withoutBody, TOKEN, EXPECTED)).toBe(false);
  });

  it("refuses a changed SMS_URL, including its query string", () => {
    expect(verifyTwilioSignature("https://example.com/inbound/twilio/status", PARAMS, TOKEN, EXPECTED)).toBe(
      false,
    );
    expect(verifyTwilioSignature(`${SMS_URL}?org=1`, PARAMS, TOKEN, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(SMS_URL.replace("https:", "http:"), PARAMS, TOKEN, EXPECTED)).toBe(false);
  });

  it("refuses the wrong token", () => {
    expect(verifyTwilioSignature(SMS_URL, PARAMS, "another-token", EXPECTED)).toBe(false);
  });

  it("refuses a missing, empty or malformed header, and an empty token", () => {
    expect(verifyTwilioSignature(SMS_URL, PARAMS, TOKEN, undefined)).toBe(false);
    expect(verifyTwilioSignature(SMS_URL, PARAMS, TOKEN, "")).toBe(false);
    expect(verifyTwilioSignature(SMS_URL, PARAMS, TOKEN, "short")).toBe(false);
    expect(verifyTwilioSignature(SMS_URL, PARAMS, TOKEN, `${EXPECTED}x`)).toBe(false);
    expect(verifyTwilioSignature(SMS_URL, PARAMS, "", twilioSignature(SMS_URL, PARAMS, ""))).toBe(false);
  });

  it("accepts the SMS_URL with or without its default port, as Twilio's libraries do", () => {
    const withPort = "https://example.com:443/inbound/twilio/sms";
    expect(verifyTwilioSignature(withPort, PARAMS, TOKEN, EXPECTED)).toBe(true);
    expect(verifyTwilioSignature(SMS_URL, PARAMS, TOKEN, twilioSignature(withPort, PARAMS, TOKEN))).toBe(
      true,
    );
    // Another port is another SMS_URL.
    expect(
      verifyTwilioSignature("https://example.com:8443/inbound/twilio/sms", PARAMS, TOKEN, EXPECTED),
    ).toBe(false);
  });

  it("verifies repeated parameters", () => {
    const params = { MediaUrl: ["https://a.example/1", "https://b.example/2"], Body: "hi" };
    const header = twilioSignature(SMS_URL, params, TOKEN);
    expect(
      verifyTwilioSignature(SMS_URL, { ...params, MediaUrl: [...params.MediaUrl].reverse() }, TOKEN, header),
    ).toBe(true);
    expect(
      verifyTwilioSignature(SMS_URL, { ...params, MediaUrl: ["https://a.example/1"] }, TOKEN, header),
    ).toBe(false);
  });
});

describe("parseTwilioStatusCallback", () => {
  it("reads the sid, status and error code", () => {
    expect(
      parseTwilioStatusCallback({
        MessageSid: "SMabc",
        SmsSid: "SMabc",
        MessageStatus: "undelivered",
        SmsStatus: "undelivered",
        ErrorCode: "30007",
        AccountSid: "AC1",
      }),
    ).toEqual({ providerMessageId: "SMabc", status: "undelivered", errorCode: "30007" });
  });

  it("falls back to the legacy Sms* names and omits an empty error code", () => {
    expect(parseTwilioStatusCallback({ SmsSid: "SMabc", SmsStatus: "delivered", ErrorCode: "" })).toEqual({
      providerMessageId: "SMabc",
      status: "delivered",
    });
  });

  it("returns undefined without a sid or a status", () => {
    expect(parseTwilioStatusCallback({ MessageStatus: "sent" })).toBeUndefined();
    expect(parseTwilioStatusCallback({ MessageSid: "SMabc" })).toBeUndefined();
  });
});

describe("parseTwilioInbound", () => {
  const inbound = { MessageSid: "SMin", From: "+12025550189", To: "+12025550100", Body: "Stop" };

  it("reads the message and Twilio's opt-out type", () => {
    expect(parseTwilioInbound({ ...inbound, OptOutType: "STOP", NumMedia: "0" })).toEqual({
      messageSid: "SMin",
      from: "+12025550189",
      to: "+12025550100",
      body: "Stop",
      optOutType: "STOP",
    });
  });

  it("leaves optOutType out when Twilio sent none, and keeps an empty body", () => {
    expect(parseTwilioInbound({ ...inbound, Body: "" })).toEqual({
      messageSid: "SMin",
      from: "+12025550189",
      to: "+12025550100",
      body: "",
    });
  });

  it("accepts SmsSid and takes the first of repeated values", () => {
    const { MessageSid: _sid, ...rest } = inbound;
    expect(parseTwilioInbound({ ...rest, SmsSid: "SMold", Body: ["first", "second"] })).toMatchObject({
      messageSid: "SMold",
      body: "first",
    });
  });

  it("returns undefined without a sid, From or To", () => {
    expect(parseTwilioInbound({ ...inbound, MessageSid: "" })).toBeUndefined();
    expect(parseTwilioInbound({ ...inbound, From: "" })).toBeUndefined();
    const { To: _to, ...withoutTo } = inbound;
    expect(parseTwilioInbound(withoutTo)).toBeUndefined();
  });
});
