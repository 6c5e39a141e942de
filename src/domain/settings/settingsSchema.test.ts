import { describe, expect, it } from "vitest";
import {
  checkSettings,
  DEFAULT_SETTINGS,
  mergeSettings,
  type Settings,
  settingsPatchSchema,
  withDefaults,
} from "./settingsSchema.js";

const SID = `MG${"0123456789abcdef".repeat(2)}`;

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join(".")) ?? [];

const defaults = (): Settings => structuredClone(DEFAULT_SETTINGS);

describe("DEFAULT_SETTINGS", () => {
  it("is a valid document", () => {
    expect(checkSettings(DEFAULT_SETTINGS)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it("keeps quiet hours on at the legal floor", () => {
    expect(DEFAULT_SETTINGS.quietHours).toEqual({ enabled: true, startHour: 8, endHour: 21 });
  });
});

describe("settingsPatchSchema", () => {
  it("accepts an empty patch and leaves absent keys absent", () => {
    expect(settingsPatchSchema.parse({})).toEqual({});
    expect(settingsPatchSchema.parse({ followUpWindow: { startHour: 8 } })).toEqual({
      followUpWindow: { startHour: 8 },
    });
  });

  it("normalises the SMS sender to E.164 and keywords to trimmed upper case", () => {
    const patch = settingsPatchSchema.parse({
      senders: { sms: { from: "+1 (202) 555-0189" } },
      unsubscribeKeywords: [" halt ", "Desist2"],
      assistantName: "  Ava  ",
    });
    expect(patch.senders?.sms?.from).toBe("+12025550189");
    expect(patch.unsubscribeKeywords).toEqual(["HALT", "DESIST2"]);
    expect(patch.assistantName).toBe("Ava");
  });

  it("fills complianceCheck defaults when it is given", () => {
    const patch = settingsPatchSchema.parse({
      complianceCheck: { url: "https://compliance.example.com/check", channels: ["sms"] },
    });
    expect(patch.complianceCheck).toEqual({
      url: "https://compliance.example.com/check",
      channels: ["sms"],
      timeoutMs: 3000,
      onUnreachable: "block",
    });
  });

  it.each([["http://localhost:4010/check"], ["http://127.0.0.1/check"], ["https://10.0.0.1/check"]])(
    "accepts the compliance URL %s",
    (url) => {
      expect(settingsPatchSchema.safeParse({ complianceCheck: { url, channels: ["email"] } }).success).toBe(
        true,
      );
    },
  );

  it("accepts both an SMS number and a messaging service, and nulls", () => {
    const body = {
      senders: { sms: { from: "+12025550189", messagingServiceSid: SID }, email: { from: null } },
    };
    expect(settingsPatchSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    [{ color: "blue" }, [""]],
    [{ followUpWindow: { foo: 1 } }, ["followUpWindow"]],
    [{ senders: { sms: { number: "+12025550189" } } }, ["senders.sms"]],
    [{ complianceCheck: { url: "https://a.example", channels: ["sms"], retries: 2 } }, ["complianceCheck"]],
    [{ assistantName: "" }, ["assistantName"]],
    [{ assistantName: "x".repeat(101) }, ["assistantName"]],
    [{ followUpWindow: { startHour: 24 } }, ["followUpWindow.startHour"]],
    [{ followUpWindow: { startHour: 8.5 } }, ["followUpWindow.startHour"]],
    [{ followUpWindow: { endHour: 0 } }, ["followUpWindow.endHour"]],
    [{ followUpWindow: { endHour: 25 } }, ["followUpWindow.endHour"]],
    [{ followUpWindow: { days: [] } }, ["followUpWindow.days"]],
    [{ followUpWindow: { days: [0] } }, ["followUpWindow.days.0"]],
    [{ followUpWindow: { days: [1, 8] } }, ["followUpWindow.days.1"]],
    [{ followUpWindow: { days: [1, 2, 1] } }, ["followUpWindow.days.2"]],
    [{ followUpWindow: { timeZone: "Mars/Olympus" } }, ["followUpWindow.timeZone"]],
    [{ followUpWindow: { timeZone: "UTC+3" } }, ["followUpWindow.timeZone"]],
    [{ followUpWindow: { holidays: ["2023-02-29"] } }, ["followUpWindow.holidays.0"]],
    [{ followUpWindow: { holidays: ["2024-12-25", "2024-13-01"] } }, ["followUpWindow.holidays.1"]],
    [{ followUpWindow: { holidays: ["2024-12-25T00:00:00Z"] } }, ["followUpWindow.holidays.0"]],
    [{ followUpWindow: { holidays: ["2024-12-25", "2024-12-25"] } }, ["followUpWindow.holidays.1"]],
    [{ quietHours: { startHour: 7 } }, ["quietHours.startHour"]],
    [{ quietHours: { endHour: 22 } }, ["quietHours.endHour"]],
    [{ quietHours: { enabled: "no" } }, ["quietHours.enabled"]],
    [{ longTermFollowUps: { intervalDays: 0 } }, ["longTermFollowUps.intervalDays"]],
    [{ longTermFollowUps: { intervalDays: 366 } }, ["longTermFollowUps.intervalDays"]],
    [{ unsubscribeKeywords: ["two words"] }, ["unsubscribeKeywords.0"]],
    [{ unsubscribeKeywords: ["   "] }, ["unsubscribeKeywords.0"]],
    [{ unsubscribeKeywords: ["x".repeat(51)] }, ["unsubscribeKeywords.0"]],
    [{ unsubscribeKeywords: ["stop!"] }, ["unsubscribeKeywords.0"]],
    [{ unsubscribeKeywords: ["halt", " HALT"] }, ["unsubscribeKeywords.1"]],
    [{ unsubscribeKeywords: ["start"] }, ["unsubscribeKeywords.0"]],
    [{ unsubscribeKeywords: ["Help"] }, ["unsubscribeKeywords.0"]],
    [{ unsubscribeKeywords: Array.from({ length: 51 }, (_, i) => `K${i}`) }, ["unsubscribeKeywords"]],
    [{ helpReply: "" }, ["helpReply"]],
    [{ helpReply: "x".repeat(321) }, ["helpReply"]],
    [{ linkedOptOut: 1 }, ["linkedOptOut"]],
    [{ responseDelaySeconds: -1 }, ["responseDelaySeconds"]],
    [{ responseDelaySeconds: 3601 }, ["responseDelaySeconds"]],
    [{ senders: { sms: { from: "202-555-0189" } } }, ["senders.sms.from"]],
    [
      { senders: { sms: { messagingServiceSid: `MG${"A".repeat(32)}` } } },
      ["senders.sms.messagingServiceSid"],
    ],
    [{ senders: { sms: { messagingServiceSid: "MG123" } } }, ["senders.sms.messagingServiceSid"]],
    [{ senders: { email: { from: "not-an-email" } } }, ["senders.email.from"]],
    [{ senders: { email: { replyTo: "a@" } } }, ["senders.email.replyTo"]],
    [
      { complianceCheck: { url: "http://compliance.example.com", channels: ["sms"] } },
      ["complianceCheck.url"],
    ],
    [{ complianceCheck: { url: "ftp://localhost/x", channels: ["sms"] } }, ["complianceCheck.url"]],
    [{ complianceCheck: { url: "not a url", channels: ["sms"] } }, ["complianceCheck.url"]],
    [{ complianceCheck: { url: "https://a.example", channels: [] } }, ["complianceCheck.channels"]],
    [{ complianceCheck: { url: "https://a.example", channels: ["voice"] } }, ["complianceCheck.channels.0"]],
    [
      { complianceCheck: { url: "https://a.example", channels: ["sms", "sms"] } },
      ["complianceCheck.channels.1"],
    ],
    [
      { complianceCheck: { url: "https://a.example", channels: ["sms"], timeoutMs: 99 } },
      ["complianceCheck.timeoutMs"],
    ],
    [
      { complianceCheck: { url: "https://a.example", channels: ["sms"], timeoutMs: 30_001 } },
      ["complianceCheck.timeoutMs"],
    ],
    [
      { complianceCheck: { url: "https://a.example", channels: ["sms"], onUnreachable: "retry" } },
      ["complianceCheck.onUnreachable"],
    ],
    [{ complianceCheck: { channels: ["sms"] } }, ["complianceCheck.url"]],
  ])("refuses %j at %j", (body, expected) => {
    const result = settingsPatchSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(paths(result)).toEqual(expected);
  });

  it("names unknown keys in the issue", () => {
    const result = settingsPatchSchema.safeParse({ followUpWindow: { foo: 1 } });
    expect(result.error?.issues).toMatchObject([{ code: "unrecognized_keys", keys: ["foo"] }]);
  });

  it("says why a wider quiet-hours window is refused", () => {
    const result = settingsPatchSchema.safeParse({ quietHours: { startHour: 7, endHour: 22 } });
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "must be 8 or later: no SMS before 08:00 is the legal floor",
      "must be 21 or earlier: no SMS after 21:00 is the legal floor",
    ]);
  });
});

describe("checkSettings", () => {
  it.each([
    ["followUpWindow", { startHour: 10, endHour: 10 }, "followUpWindow.endHour"],
    ["followUpWindow", { startHour: 20, endHour: 9 }, "followUpWindow.endHour"],
    ["quietHours", { startHour: 15, endHour: 15 }, "quietHours.endHour"],
    ["quietHours", { startHour: 20, endHour: 9 }, "quietHours.endHour"],
  ] as const)("refuses %s with %j at %s", (section, hours, path) => {
    const candidate = defaults();
    Object.assign(candidate[section], hours);
    expect(checkSettings(candidate)).toEqual({
      ok: false,
      issues: [{ path, message: `must be greater than startHour (${hours.startHour})` }],
    });
  });

  it("accepts a narrowed quiet-hours window and a full-day follow-up window", () => {
    const candidate = defaults();
    candidate.quietHours = { enabled: true, startHour: 9, endHour: 20 };
    candidate.followUpWindow = { ...candidate.followUpWindow, startHour: 0, endHour: 24, days: [7, 1] };
    expect(checkSettings(candidate)).toEqual({ ok: true, settings: candidate });
  });
});

describe("mergeSettings", () => {
  it("merges sections key by key and replaces arrays and scalars", () => {
    const current = defaults();
    current.followUpWindow.holidays = ["2024-12-25"];
    const merged = mergeSettings(current, {
      followUpWindow: { startHour: 8, holidays: ["2025-01-01"] },
      longTermFollowUps: { enabled: true },
      assistantName: "Ava",
    });
    expect(merged.followUpWindow).toEqual({
      ...current.followUpWindow,
      startHour: 8,
      holidays: ["2025-01-01"],
    });
    expect(merged.longTermFollowUps).toEqual({ enabled: true, intervalDays: 30 });
    expect(merged.assistantName).toBe("Ava");
    expect(merged.quietHours).toEqual(current.quietHours);
  });

  it("merges senders one level deeper", () => {
    const current = defaults();
    current.senders.sms = { from: "+12025550189", messagingServiceSid: null };
    current.senders.email = { from: "a@example.com", replyTo: "b@example.com" };
    const merged = mergeSettings(current, {
      senders: { sms: { messagingServiceSid: SID }, email: { replyTo: null } },
    });
    expect(merged.senders).toEqual({
      sms: { from: "+12025550189", messagingServiceSid: SID },
      email: { from: "a@example.com", replyTo: null },
    });
  });

  it("replaces complianceCheck whole and removes it with null", () => {
    const current = defaults();
    current.complianceCheck = {
      url: "https://a.example",
      channels: ["sms", "email"],
      timeoutMs: 5000,
      onUnreachable: "allow",
    };
    const replacement = {
      url: "https://b.example",
      channels: ["email" as const],
      timeoutMs: 3000,
      onUnreachable: "block" as const,
    };
    expect(mergeSettings(current, { complianceCheck: replacement }).complianceCheck).toEqual(replacement);
    expect(mergeSettings(current, { complianceCheck: null }).complianceCheck).toBeNull();
    expect(mergeSettings(current, {}).complianceCheck).toEqual(current.complianceCheck);
  });

  it("leaves the current document untouched", () => {
    const current = defaults();
    mergeSettings(current, { followUpWindow: { startHour: 6 }, senders: { sms: { from: "+12025550189" } } });
    expect(current).toEqual(DEFAULT_SETTINGS);
  });
});

describe("withDefaults", () => {
  it("fills sections and keys a stored document lacks, keeping what it has", () => {
    const stored = {
      assistantName: "Ava",
      followUpWindow: { startHour: 7, days: [6] },
      complianceCheck: { url: "https://a.example", channels: ["sms"] },
    };
    expect(withDefaults(DEFAULT_SETTINGS, stored)).toEqual({
      ...DEFAULT_SETTINGS,
      assistantName: "Ava",
      followUpWindow: { ...DEFAULT_SETTINGS.followUpWindow, startHour: 7, days: [6] },
      complianceCheck: { url: "https://a.example", channels: ["sms"] },
    });
  });

  it("keeps a stored null over an object default", () => {
    expect(withDefaults({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });
});
