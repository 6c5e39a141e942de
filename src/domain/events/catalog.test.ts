import { describe, expect, it } from "vitest";
import { parseEnvelope } from "../../../test/envelopes.js";
import { eventSchemaByType, parseEventBody } from "../../../test/eventSchemas.js";
import {
  additionalInfoUpdatedData,
  doNotContactData,
  EVENT_TYPES,
  envelopeTimestamp,
  type LeadRef,
  leadTaggedData,
  messageReceivedData,
  messageSentData,
  notificationData,
  optOutData,
  serializeEnvelope,
} from "./catalog.js";

// Expected bodies are written out as literal strings on purpose: receivers compare bytes, so a
// test that rebuilt them with JSON.stringify would agree with any key order the builders chose.

const AT = new Date("2024-01-15T14:30:00Z");
const EVENT_ID = "0190f5a8c3e47b2a9d1e6f3c5b7a9d2e";
const SPEC_LEAD_ID = "c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y";
const FOLLOW_UP_TEXT =
  "Hi there! Just following up on our previous conversation. Would you like to learn more about our services?";

const lead: LeadRef = { leadId: SPEC_LEAD_ID, externalLeadId: "003XX000004DHPY", phone: "+12025550189" };
const leadWithoutCrm: LeadRef = { ...lead, externalLeadId: null };

describe("message.sent", () => {
  it("reproduces the SMS example of events.md byte for byte", () => {
    const data = messageSentData({
      lead,
      channel: "sms",
      profile: "Default Profile",
      followUpStep: 1,
      text: FOLLOW_UP_TEXT,
    });
    const body = serializeEnvelope("message.sent", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"message.sent","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"sms","profile":"Default Profile","isFollowUp":true,"followUpStep":1,"content":{"text":"Hi there! Just following up on our previous conversation. Would you like to learn more about our services?"}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(parseEventBody("message.sent", body).data).toEqual(data);
  });

  it("puts the email subject before the text", () => {
    const data = messageSentData({
      lead,
      channel: "email",
      profile: "Default Profile",
      followUpStep: 2,
      subject: "Follow-up: Your Interest in Our Services",
      text: FOLLOW_UP_TEXT,
    });
    const body = serializeEnvelope("message.sent", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"message.sent","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"email","profile":"Default Profile","isFollowUp":true,"followUpStep":2,"content":{"subject":"Follow-up: Your Interest in Our Services","text":"Hi there! Just following up on our previous conversation. Would you like to learn more about our services?"}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("message.sent", body)).not.toThrow();
  });

  it("drops a subject passed for an SMS: the key is absent, not null", () => {
    const data = messageSentData({
      lead,
      channel: "sms",
      profile: "P",
      followUpStep: null,
      subject: "ignored",
      text: "Hi",
    });
    expect(Object.keys(data.content)).toEqual(["text"]);
    expect(serializeEnvelope("message.sent", EVENT_ID, data, AT)).toContain('"content":{"text":"Hi"}');
  });

  it("sends followUpStep null and isFollowUp false for a message outside a sequence", () => {
    const data = messageSentData({ lead, channel: "sms", profile: "P", followUpStep: null, text: "Hi" });
    expect(serializeEnvelope("message.sent", EVENT_ID, data, AT)).toBe(
      '{"event":"message.sent","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"sms","profile":"P","isFollowUp":false,"followUpStep":null,"content":{"text":"Hi"}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
  });

  it("omits externalLeadId when the lead has no CRM id", () => {
    const data = messageSentData({
      lead: leadWithoutCrm,
      channel: "sms",
      profile: "P",
      followUpStep: null,
      text: "Hi",
    });
    expect("externalLeadId" in data).toBe(false);
    const body = serializeEnvelope("message.sent", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"message.sent","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","channel":"sms","profile":"P","isFollowUp":false,"followUpStep":null,"content":{"text":"Hi"}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("message.sent", body)).not.toThrow();
  });
});

describe("message.received", () => {
  it("writes the documented keys in order, subject only for email", () => {
    const sms = messageReceivedData({ lead, channel: "sms", profile: "P", subject: "x", text: "Yes please" });
    expect(serializeEnvelope("message.received", EVENT_ID, sms, AT)).toBe(
      '{"event":"message.received","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"sms","profile":"P","content":{"text":"Yes please"}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    const email = messageReceivedData({
      lead: leadWithoutCrm,
      channel: "email",
      profile: "P",
      subject: "Re: hello",
      text: "Yes",
    });
    const body = serializeEnvelope("message.received", EVENT_ID, email, AT);
    expect(body).toBe(
      '{"event":"message.received","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","channel":"email","profile":"P","content":{"subject":"Re: hello","text":"Yes"}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("message.received", body)).not.toThrow();
  });
});

describe("optOut", () => {
  it("email keeps its reason, sets isTwilioOptOut null, omits the message of a system opt-out", () => {
    const data = optOutData({
      lead,
      channel: "email",
      optOutReason: "BOUNCE",
      isTwilioOptOut: true,
      isDoNotContact: false,
    });
    const body = serializeEnvelope("optOut", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"optOut","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"email","optOutReason":"BOUNCE","isTwilioOptOut":null,"isDoNotContact":false},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("optOut", body)).not.toThrow();
  });

  it("SMS nulls the reason and carries the lead's message and the carrier flag", () => {
    const data = optOutData({
      lead,
      channel: "sms",
      optOutReason: "MANUAL",
      isTwilioOptOut: true,
      optOutMessage: "STOP",
      isDoNotContact: true,
    });
    const body = serializeEnvelope("optOut", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"optOut","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"sms","optOutReason":null,"isTwilioOptOut":true,"optOutMessage":"STOP","isDoNotContact":true},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("optOut", body)).not.toThrow();
  });

  it("call nulls the reason", () => {
    const data = optOutData({
      lead: leadWithoutCrm,
      channel: "call",
      optOutReason: "MANUAL",
      isTwilioOptOut: false,
      isDoNotContact: true,
    });
    const body = serializeEnvelope("optOut", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"optOut","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","channel":"call","optOutReason":null,"isTwilioOptOut":false,"isDoNotContact":true},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("optOut", body)).not.toThrow();
  });
});

describe("doNotContact", () => {
  it("sends email and optOutMessage as null when unknown", () => {
    const data = doNotContactData({ lead, email: null, optOutMessage: null });
    const body = serializeEnvelope("doNotContact", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"doNotContact","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","email":null,"optOutMessage":null},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("doNotContact", body)).not.toThrow();
  });

  it("carries them when known", () => {
    const data = doNotContactData({
      lead: leadWithoutCrm,
      email: "ada@example.com",
      optOutMessage: "never again",
    });
    const body = serializeEnvelope("doNotContact", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"doNotContact","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","email":"ada@example.com","optOutMessage":"never again"},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("doNotContact", body)).not.toThrow();
  });
});

describe("leadTagged", () => {
  it("names where the tag came from and the tag", () => {
    const data = leadTaggedData({ lead, channel: "manual", tag: "isHot" });
    const body = serializeEnvelope("leadTagged", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"leadTagged","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","externalLeadId":"003XX000004DHPY","phone":"+12025550189","channel":"manual","tag":"isHot"},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("leadTagged", body)).not.toThrow();
  });
});

describe("notification", () => {
  it("has no externalLeadId key at all, even when the lead has a CRM id", () => {
    const data = notificationData({
      lead,
      channel: "sms",
      notificationName: "Wants a call",
      notificationMessage: "The lead asked for a call back",
    });
    const body = serializeEnvelope("notification", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"notification","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","channel":"sms","notificationName":"Wants a call","notificationMessage":"The lead asked for a call back"},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(() => parseEventBody("notification", body)).not.toThrow();
  });
});

describe("lead.additionalInfo.updated", () => {
  it("carries a top-level eventId and {old,new} per changed key", () => {
    const data = additionalInfoUpdatedData({
      lead,
      changes: {
        budget: { old: null, new: 5000 },
        stage: { old: "new", new: "qualified" },
        source: { old: { utm: "ads" }, new: null },
      },
    });
    const body = serializeEnvelope("lead.additionalInfo.updated", EVENT_ID, data, AT);
    expect(body).toBe(
      '{"event":"lead.additionalInfo.updated","eventId":"0190f5a8c3e47b2a9d1e6f3c5b7a9d2e","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","externalLeadId":"003XX000004DHPY","additionalInfo":{"budget":{"old":null,"new":5000},"stage":{"old":"new","new":"qualified"},"source":{"old":{"utm":"ads"},"new":null}}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
    expect(parseEventBody("lead.additionalInfo.updated", body).eventId).toBe(EVENT_ID);
  });

  it("omits externalLeadId when the lead has none", () => {
    const data = additionalInfoUpdatedData({ lead: leadWithoutCrm, changes: { a: { old: 1, new: 2 } } });
    expect(serializeEnvelope("lead.additionalInfo.updated", EVENT_ID, data, AT)).toBe(
      '{"event":"lead.additionalInfo.updated","eventId":"0190f5a8c3e47b2a9d1e6f3c5b7a9d2e","data":{"leadId":"c4f23a1b-d8e5-4f67-90c1-2a5b8d3e9x7y","phone":"+12025550189","additionalInfo":{"a":{"old":1,"new":2}}},"timestamp":"2024-01-15T14:30:00Z"}',
    );
  });

  it("is the only envelope with an eventId", () => {
    for (const type of EVENT_TYPES) {
      const keys = Object.keys(eventSchemaByType[type].shape);
      expect(keys).toEqual(
        type === "lead.additionalInfo.updated"
          ? ["event", "eventId", "data", "timestamp"]
          : ["event", "data", "timestamp"],
      );
    }
  });
});

describe("envelope", () => {
  it("writes event, data, timestamp in that order", () => {
    const data = leadTaggedData({ lead, channel: "sms", tag: "t" });
    const parsed: unknown = JSON.parse(serializeEnvelope("leadTagged", EVENT_ID, data, AT));
    expect(Object.keys(parsed as object)).toEqual(["event", "data", "timestamp"]);
  });

  it("truncates milliseconds instead of rounding", () => {
    expect(envelopeTimestamp(new Date("2024-01-15T14:30:59.999Z"))).toBe("2024-01-15T14:30:59Z");
    const data = leadTaggedData({ lead, channel: "sms", tag: "t" });
    const body = serializeEnvelope("leadTagged", EVENT_ID, data, new Date("2024-12-31T23:59:59.999Z"));
    expect(body.endsWith('"timestamp":"2024-12-31T23:59:59Z"}')).toBe(true);
  });

  it("keeps emoji, accents and CJK unescaped and byte-identical", () => {
    const text = "Olá José! 👋🏽 Café crème, naïve — 你好，世界 こんにちは 안녕하세요 👨‍👩‍👧";
    const data = messageSentData({
      lead,
      channel: "sms",
      profile: "Perfil Ñandú 🚀",
      followUpStep: null,
      text,
    });
    const body = serializeEnvelope("message.sent", EVENT_ID, data, AT);
    expect(body).toContain(`"content":{"text":"${text}"}`);
    expect(body).toContain('"profile":"Perfil Ñandú 🚀"');
    expect(Buffer.from(body, "utf8").includes(Buffer.from(text, "utf8"))).toBe(true);
    expect(parseEventBody("message.sent", body).data.content.text).toBe(text);
  });

  it("escapes quotes, backslashes and newlines so the body stays valid JSON", () => {
    const text = 'He said "hi"\\ and left\nbye';
    const data = messageSentData({ lead, channel: "sms", profile: "P", followUpStep: null, text });
    const body = serializeEnvelope("message.sent", EVENT_ID, data, AT);
    expect(body).toContain('"text":"He said \\"hi\\"\\\\ and left\\nbye"');
    expect(parseEventBody("message.sent", body).data.content.text).toBe(text);
  });
});

describe("event schemas", () => {
  const smsBody = () =>
    parseEnvelope(
      serializeEnvelope(
        "message.sent",
        EVENT_ID,
        messageSentData({
          lead: leadWithoutCrm,
          channel: "sms",
          profile: "P",
          followUpStep: null,
          text: "Hi",
        }),
        AT,
      ),
    );

  it("reject an extra key in data and in the envelope", () => {
    const schema = eventSchemaByType["message.sent"];
    expect(schema.safeParse(smsBody()).success).toBe(true);
    const extraInData = smsBody();
    extraInData.data.surprise = 1;
    expect(schema.safeParse(extraInData).success).toBe(false);
    expect(schema.safeParse({ ...smsBody(), eventId: EVENT_ID }).success).toBe(false);
  });

  it("reject null where the key must be omitted", () => {
    const body = smsBody();
    body.data.externalLeadId = null;
    const result = eventSchemaByType["message.sent"].safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.some((issue) => issue.path.includes("externalLeadId"))).toBe(true);

    const optOut = parseEnvelope(
      serializeEnvelope(
        "optOut",
        EVENT_ID,
        optOutData({
          lead,
          channel: "email",
          optOutReason: "COMPLAINT",
          isTwilioOptOut: null,
          isDoNotContact: false,
        }),
        AT,
      ),
    );
    optOut.data.optOutMessage = null;
    expect(eventSchemaByType.optOut.safeParse(optOut).success).toBe(false);
  });

  it("reject a subject on SMS content and a step without a follow-up", () => {
    const withSubject = smsBody();
    withSubject.data.content = { subject: "s", text: "Hi" };
    expect(eventSchemaByType["message.sent"].safeParse(withSubject).success).toBe(false);
    const stepWithoutFollowUp = smsBody();
    stepWithoutFollowUp.data.followUpStep = 1;
    expect(eventSchemaByType["message.sent"].safeParse(stepWithoutFollowUp).success).toBe(false);
  });

  it("reject a timestamp with milliseconds and an eventId that is not 32 hex", () => {
    expect(
      eventSchemaByType["message.sent"].safeParse({ ...smsBody(), timestamp: AT.toISOString() }).success,
    ).toBe(false);
    const info = JSON.parse(
      serializeEnvelope(
        "lead.additionalInfo.updated",
        "not-an-event-id",
        additionalInfoUpdatedData({ lead, changes: { a: { old: null, new: 1 } } }),
        AT,
      ),
    );
    expect(eventSchemaByType["lead.additionalInfo.updated"].safeParse(info).success).toBe(false);
  });

  it("reject a body whose event name is another type's", () => {
    const body = serializeEnvelope(
      "leadTagged",
      EVENT_ID,
      leadTaggedData({ lead, channel: "sms", tag: "t" }),
      AT,
    );
    expect(() => parseEventBody("notification", body)).toThrow();
  });
});
