import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness.js";
import { orgIdOf } from "../../../../test/webhookFixtures.js";
import type { ErrorBody } from "../../errorHandler.js";
import type { UpdateSettingsResponse } from "./updateSettings.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const SID = `MG${"0123456789abcdef".repeat(2)}`;

// Written out rather than imported: this is the contract a new org sees.
const DEFAULTS = {
  assistantName: "Leadwire Assistant",
  followUpWindow: {
    startHour: 9,
    endHour: 20,
    days: [1, 2, 3, 4, 5],
    timeZone: "America/New_York",
    holidays: [],
    applyToInitialOutreach: false,
  },
  quietHours: { enabled: true, startHour: 8, endHour: 21 },
  longTermFollowUps: { enabled: false, intervalDays: 30 },
  unsubscribeKeywords: [],
  helpReply: "Reply STOP to unsubscribe. Msg&data rates may apply.",
  linkedOptOut: false,
  responseDelaySeconds: 0,
  senders: { sms: { from: null, messagingServiceSid: null }, email: { from: null, replyTo: null } },
  complianceCheck: null,
  twilio: null,
  notificationEmails: [],
  assistant: {
    provider: "server",
    llm: null,
    optOutLine: "Reply STOP to opt out.",
    discloseAi: true,
    allowedDomains: [],
  },
};

const getSettings = (key: string) => t.request("GET", "/v1/settings", { key });
const patchSettings = <TRes = UpdateSettingsResponse>(key: string, body: unknown) =>
  t.patch<TRes>("/v1/settings", body, { key });

async function storedSettings(key: string): Promise<unknown> {
  const res = await getSettings(key);
  expect(res.status).toBe(200);
  return res.body;
}

describe("GET /v1/settings", () => {
  it("returns every default for an org that never changed anything", async () => {
    const key = await t.newOrg();
    const res = await getSettings(key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULTS);
  });

  it("refuses a missing key with 403", async () => {
    const res = await t.request("GET", "/v1/settings", { key: null });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("PATCH /v1/settings", () => {
  it("merges a partial section into the defaults and persists it", async () => {
    const key = await t.newOrg();
    const res = await patchSettings(key, { followUpWindow: { startHour: 8 } });
    expect(res.status).toBe(200);
    const expected = { ...DEFAULTS, followUpWindow: { ...DEFAULTS.followUpWindow, startHour: 8 } };
    expect(res.body).toEqual(expected);
    expect(await storedSettings(key)).toEqual(expected);
  });

  it("keeps earlier changes when later patches touch other keys of the same section", async () => {
    const key = await t.newOrg();
    expect(
      (await patchSettings(key, { followUpWindow: { days: [1, 3, 5], holidays: ["2024-12-25"] } })).status,
    ).toBe(200);
    expect((await patchSettings(key, { followUpWindow: { endHour: 18 }, linkedOptOut: true })).status).toBe(
      200,
    );
    expect(await storedSettings(key)).toEqual({
      ...DEFAULTS,
      linkedOptOut: true,
      followUpWindow: { ...DEFAULTS.followUpWindow, days: [1, 3, 5], holidays: ["2024-12-25"], endHour: 18 },
    });
  });

  it("replaces arrays and scalars, normalises keywords and the SMS sender, merges senders per channel", async () => {
    const key = await t.newOrg();
    await patchSettings(key, {
      unsubscribeKeywords: ["halt", "Desist"],
      followUpWindow: { days: [1, 2] },
      senders: { sms: { from: "+1 (202) 555-0189" }, email: { from: "team@example.com" } },
    });
    const res = await patchSettings(key, {
      unsubscribeKeywords: [" basta "],
      followUpWindow: { days: [6, 7] },
      senders: { sms: { messagingServiceSid: SID }, email: { replyTo: "replies@example.com" } },
      assistantName: "Ava",
      helpReply: "Text STOP to opt out.",
      responseDelaySeconds: 45,
      quietHours: { startHour: 9, endHour: 20 },
      longTermFollowUps: { enabled: true, intervalDays: 14 },
    });
    expect(res.status).toBe(200);
    const expected = {
      ...DEFAULTS,
      assistantName: "Ava",
      helpReply: "Text STOP to opt out.",
      responseDelaySeconds: 45,
      unsubscribeKeywords: ["BASTA"],
      followUpWindow: { ...DEFAULTS.followUpWindow, days: [6, 7] },
      quietHours: { enabled: true, startHour: 9, endHour: 20 },
      longTermFollowUps: { enabled: true, intervalDays: 14 },
      senders: {
        sms: { from: "+12025550189", messagingServiceSid: SID },
        email: { from: "team@example.com", replyTo: "replies@example.com" },
      },
    };
    expect(res.body).toEqual(expected);
    expect(await storedSettings(key)).toEqual(expected);
  });

  it("sets the compliance check with defaults, replaces it whole and removes it with null", async () => {
    const key = await t.newOrg();
    const set = await patchSettings(key, {
      complianceCheck: {
        url: "https://93.184.216.34/check",
        channels: ["sms", "email"],
        timeoutMs: 5000,
      },
    });
    expect(set.status).toBe(200);
    expect(set.body.complianceCheck).toEqual({
      url: "https://93.184.216.34/check",
      channels: ["sms", "email"],
      timeoutMs: 5000,
      onUnreachable: "block",
    });

    const replaced = await patchSettings(key, {
      complianceCheck: { url: "https://93.184.216.36/check", channels: ["email"], onUnreachable: "allow" },
    });
    expect(replaced.status).toBe(200);
    expect(await storedSettings(key)).toEqual({
      ...DEFAULTS,
      complianceCheck: {
        url: "https://93.184.216.36/check",
        channels: ["email"],
        timeoutMs: 3000,
        onUnreachable: "allow",
      },
    });

    const removed = await patchSettings(key, { complianceCheck: null });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(DEFAULTS);
    expect(await storedSettings(key)).toEqual(DEFAULTS);
  });

  it.each([
    "http://127.0.0.1:4010/check",
    "https://10.1.2.3/check",
    "https://[::1]/check",
    "https://169.254.169.254/latest",
  ])(
    "refuses the private or loopback compliance URL %s when saved, and keeps what was stored",
    async (url) => {
      const key = await t.newOrg();
      const before = await storedSettings(key);
      const res = await patchSettings<ErrorBody>(key, { complianceCheck: { url, channels: ["sms"] } });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d) => d.path)).toEqual(["complianceCheck.url"]);
      expect(await storedSettings(key)).toEqual(before);
    },
  );

  it("accepts an empty patch and answers the stored document", async () => {
    const key = await t.newOrg();
    const res = await patchSettings(key, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULTS);
  });

  it("merges the assistant section, keeps the model key write-only and keeps it when a patch leaves it out", async () => {
    const key = await t.newOrg();
    const llm = { baseUrl: "https://models.example/v1", model: "chat-small", apiKey: "sk-org-secret-123456" };
    const set = await patchSettings(key, {
      assistant: { provider: "llm", llm },
      notificationEmails: ["a@b.test"],
    });
    expect(set.status).toBe(200);
    const expected = {
      ...DEFAULTS,
      notificationEmails: ["a@b.test"],
      assistant: { ...DEFAULTS.assistant, provider: "llm", llm: { ...llm, apiKey: "[redacted]" } },
    };
    expect(set.body).toEqual(expected);
    // A new model without a key keeps the stored key; other assistant keys merge.
    const moved = await patchSettings(key, {
      assistant: { llm: { baseUrl: "https://models.example/v1", model: "chat-large" }, discloseAi: false },
    });
    expect(moved.body).toEqual({
      ...expected,
      assistant: {
        ...expected.assistant,
        discloseAi: false,
        llm: { ...expected.assistant.llm, model: "chat-large" },
      },
    });
    const stored = await t.app.database.db
      .selectFrom("settings")
      .select("data")
      .where("org_id", "=", await orgIdOf(t, key))
      .executeTakeFirstOrThrow();
    expect(stored.data).toContain("sk-org-secret-123456");
    // An explicit null removes the key.
    const cleared = await patchSettings(key, {
      assistant: { llm: { baseUrl: "https://models.example/v1", model: "chat-large", apiKey: null } },
    });
    expect(cleared.body.assistant.llm?.apiKey).toBeNull();
  });

  describe("refusals leave the stored settings unchanged", () => {
    let key: string;
    let before: unknown;

    beforeAll(async () => {
      key = await t.newOrg();
      const res = await patchSettings(key, {
        followUpWindow: { startHour: 10, endHour: 18 },
        quietHours: { startHour: 9, endHour: 20 },
        assistantName: "Ava",
      });
      expect(res.status).toBe(200);
      before = res.body;
    });

    it.each([
      // cross-field rules, checked on the merged document
      [{ followUpWindow: { endHour: 10 } }, ["followUpWindow.endHour"]],
      [{ followUpWindow: { startHour: 19 } }, ["followUpWindow.endHour"]],
      [{ followUpWindow: { startHour: 12, endHour: 11 } }, ["followUpWindow.endHour"]],
      [{ quietHours: { startHour: 20 } }, ["quietHours.endHour"]],
      [{ quietHours: { endHour: 9 } }, ["quietHours.endHour"]],
      // field rules, checked on the body
      [{ followUpWindow: { startHour: 24 } }, ["followUpWindow.startHour"]],
      [{ followUpWindow: { endHour: 25 } }, ["followUpWindow.endHour"]],
      [{ followUpWindow: { days: [] } }, ["followUpWindow.days"]],
      [{ followUpWindow: { days: [1, 8] } }, ["followUpWindow.days.1"]],
      [{ followUpWindow: { days: [2, 2] } }, ["followUpWindow.days.1"]],
      [{ followUpWindow: { timeZone: "Mars/Olympus" } }, ["followUpWindow.timeZone"]],
      [{ followUpWindow: { holidays: ["2023-02-29"] } }, ["followUpWindow.holidays.0"]],
      [{ followUpWindow: { holidays: ["2024-07-04", "2024-07-04"] } }, ["followUpWindow.holidays.1"]],
      [{ followUpWindow: { applyToInitialOutreach: "yes" } }, ["followUpWindow.applyToInitialOutreach"]],
      [{ quietHours: { startHour: 7 } }, ["quietHours.startHour"]],
      [{ quietHours: { endHour: 22 } }, ["quietHours.endHour"]],
      [{ longTermFollowUps: { intervalDays: 0 } }, ["longTermFollowUps.intervalDays"]],
      [{ assistantName: "" }, ["assistantName"]],
      [{ unsubscribeKeywords: ["please stop"] }, ["unsubscribeKeywords.0"]],
      [{ unsubscribeKeywords: ["halt", "HALT"] }, ["unsubscribeKeywords.1"]],
      [{ unsubscribeKeywords: ["start"] }, ["unsubscribeKeywords.0"]],
      [{ helpReply: "x".repeat(321) }, ["helpReply"]],
      [{ responseDelaySeconds: 3601 }, ["responseDelaySeconds"]],
      [{ notificationEmails: ["sales@acme.test", "not-an-address"] }, ["notificationEmails.1"]],
      [{ assistant: { provider: "gpt" } }, ["assistant.provider"]],
      [{ assistant: { llm: { baseUrl: "ftp://models.local", model: "m" } } }, ["assistant.llm.baseUrl"]],
      [{ assistant: { llm: { baseUrl: "https://models.example", model: "" } } }, ["assistant.llm.model"]],
      [
        { assistant: { llm: { baseUrl: "https://models.example", model: "m", apiKey: "[redacted]" } } },
        ["assistant.llm.apiKey"],
      ],
      [{ assistant: { allowedDomains: ["acme.test", "not a domain"] } }, ["assistant.allowedDomains.1"]],
      [{ assistant: { optOutLine: "" } }, ["assistant.optOutLine"]],
      [{ assistant: { temperature: 0.2 } }, ["assistant.temperature"]],
      [{ senders: { sms: { from: "12345" } } }, ["senders.sms.from"]],
      [{ senders: { sms: { messagingServiceSid: "MG123" } } }, ["senders.sms.messagingServiceSid"]],
      [{ senders: { email: { from: "nobody" } } }, ["senders.email.from"]],
      [
        { complianceCheck: { url: "http://compliance.example.com", channels: ["sms"] } },
        ["complianceCheck.url"],
      ],
      [{ complianceCheck: { url: "https://a.example", channels: [] } }, ["complianceCheck.channels"]],
      [
        { complianceCheck: { url: "https://a.example", channels: ["sms"], timeoutMs: 50 } },
        ["complianceCheck.timeoutMs"],
      ],
      // unknown keys, anywhere
      [{ color: "blue" }, ["color"]],
      [{ followUpWindow: { foo: 1 } }, ["followUpWindow.foo"]],
      [{ senders: { sms: { number: "+12025550189" } } }, ["senders.sms.number"]],
      [
        { complianceCheck: { url: "https://a.example", channels: ["sms"], retries: 1 } },
        ["complianceCheck.retries"],
      ],
    ])("refuses %j at %j", async (body, expectedPaths) => {
      const res = await patchSettings<ErrorBody>(key, body);
      expect(res.status).toBe(400);
      const error = res.body;
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.details.map((d) => d.path)).toEqual(expectedPaths);
      expect(error.message).toContain(expectedPaths[0]);
      expect(await storedSettings(key)).toEqual(before);
    });

    it("explains that quiet hours cannot be widened", async () => {
      const res = await patchSettings(key, { quietHours: { startHour: 6 } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        details: [{ path: "quietHours.startHour", message: expect.stringContaining("legal floor") }],
      });
    });

    it("names an unknown key as an unknown field", async () => {
      const res = await patchSettings(key, { followUpWindow: { foo: 1 } });
      expect(res.body).toMatchObject({ details: [{ path: "followUpWindow.foo", message: "unknown field" }] });
    });

    it("refuses a body that is not an object", async () => {
      const res = await patchSettings(key, [1, 2]);
      expect(res.status).toBe(400);
      expect(await storedSettings(key)).toEqual(before);
    });
  });

  it("keeps orgs apart", async () => {
    const keyA = await t.newOrg();
    const keyB = await t.newOrg();
    expect((await patchSettings(keyA, { assistantName: "Alpha" })).status).toBe(200);
    const resB = await patchSettings(keyB, {
      assistantName: "Bravo",
      followUpWindow: { startHour: 7 },
      complianceCheck: { url: "https://93.184.216.35/check", channels: ["sms"] },
    });
    expect(resB.status).toBe(200);
    expect(await storedSettings(keyA)).toEqual({ ...DEFAULTS, assistantName: "Alpha" });
    expect(await storedSettings(keyB)).toMatchObject({
      assistantName: "Bravo",
      followUpWindow: { startHour: 7 },
      complianceCheck: { url: "https://93.184.216.35/check" },
    });
  });

  it("loses no key when ten patches of different keys arrive at once", async () => {
    const key = await t.newOrg();
    const patches = [
      { followUpWindow: { startHour: 7 } },
      { followUpWindow: { endHour: 22 } },
      { followUpWindow: { days: [1, 2, 3, 4, 5, 6] } },
      { followUpWindow: { holidays: ["2024-12-25"] } },
      { followUpWindow: { timeZone: "America/Chicago" } },
      { followUpWindow: { applyToInitialOutreach: true } },
      { quietHours: { startHour: 9 } },
      { longTermFollowUps: { intervalDays: 14 } },
      { senders: { sms: { from: "+12025550190" } } },
      { senders: { email: { from: "team@example.com" } } },
    ];
    const responses = await Promise.all(patches.map((body) => patchSettings(key, body)));
    expect(responses.map((r) => r.status)).toEqual(patches.map(() => 200));
    expect(await storedSettings(key)).toEqual({
      ...DEFAULTS,
      followUpWindow: {
        startHour: 7,
        endHour: 22,
        days: [1, 2, 3, 4, 5, 6],
        timeZone: "America/Chicago",
        holidays: ["2024-12-25"],
        applyToInitialOutreach: true,
      },
      quietHours: { enabled: true, startHour: 9, endHour: 21 },
      longTermFollowUps: { enabled: false, intervalDays: 14 },
      senders: {
        sms: { from: "+12025550190", messagingServiceSid: null },
        email: { from: "team@example.com", replyTo: null },
      },
    });
  });
});
