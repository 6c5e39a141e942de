import type { FieldIssue } from "../api/http";
import type { Channel, Settings, SettingsPatch } from "../api/settings";

/**
 * The settings form's state: text as typed (numbers too, so a half-typed value is not lost), lists
 * as the controls hold them. Secrets start empty: the API never returns them.
 */
export interface SettingsDraft {
  windowStart: string;
  windowEnd: string;
  windowDays: number[];
  timeZone: string;
  holidays: string[];
  applyToInitialOutreach: boolean;
  longTermEnabled: boolean;
  longTermIntervalDays: string;
  quietEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  smsFrom: string;
  messagingServiceSid: string;
  emailFrom: string;
  emailReplyTo: string;
  twilioOn: boolean;
  twilioAccountSid: string;
  /** A new token, when typed; empty keeps the stored one. */
  twilioAuthToken: string;
  complianceOn: boolean;
  complianceUrl: string;
  complianceChannels: Channel[];
  complianceTimeoutMs: string;
  complianceOnUnreachable: "block" | "allow";
  unsubscribeKeywords: string;
  helpReply: string;
  responseDelaySeconds: string;
  linkedOptOut: boolean;
  notificationEmails: string;
  assistantName: string;
  assistantProvider: Settings["assistant"]["provider"];
  optOutLine: string;
  discloseAi: boolean;
  allowedDomains: string;
  llmOn: boolean;
  llmBaseUrl: string;
  llmModel: string;
  /** A new key, when typed; empty keeps the stored one unless `llmRemoveKey`. */
  llmApiKey: string;
  llmRemoveKey: boolean;
}

export function draftOf(s: Settings): SettingsDraft {
  return {
    windowStart: String(s.followUpWindow.startHour),
    windowEnd: String(s.followUpWindow.endHour),
    windowDays: [...s.followUpWindow.days].sort((a, b) => a - b),
    timeZone: s.followUpWindow.timeZone,
    holidays: [...s.followUpWindow.holidays],
    applyToInitialOutreach: s.followUpWindow.applyToInitialOutreach,
    longTermEnabled: s.longTermFollowUps.enabled,
    longTermIntervalDays: String(s.longTermFollowUps.intervalDays),
    quietEnabled: s.quietHours.enabled,
    quietStart: String(s.quietHours.startHour),
    quietEnd: String(s.quietHours.endHour),
    smsFrom: s.senders.sms.from ?? "",
    messagingServiceSid: s.senders.sms.messagingServiceSid ?? "",
    emailFrom: s.senders.email.from ?? "",
    emailReplyTo: s.senders.email.replyTo ?? "",
    twilioOn: s.twilio !== null,
    twilioAccountSid: s.twilio?.accountSid ?? "",
    twilioAuthToken: "",
    complianceOn: s.complianceCheck !== null,
    complianceUrl: s.complianceCheck?.url ?? "",
    complianceChannels: s.complianceCheck?.channels ?? ["sms", "email"],
    complianceTimeoutMs: String(s.complianceCheck?.timeoutMs ?? 3000),
    complianceOnUnreachable: s.complianceCheck?.onUnreachable ?? "block",
    unsubscribeKeywords: s.unsubscribeKeywords.join(", "),
    helpReply: s.helpReply,
    responseDelaySeconds: String(s.responseDelaySeconds),
    linkedOptOut: s.linkedOptOut,
    notificationEmails: s.notificationEmails.join(", "),
    assistantName: s.assistantName,
    assistantProvider: s.assistant.provider,
    optOutLine: s.assistant.optOutLine ?? "",
    discloseAi: s.assistant.discloseAi,
    allowedDomains: s.assistant.allowedDomains.join(", "),
    llmOn: s.assistant.llm !== null,
    llmBaseUrl: s.assistant.llm?.baseUrl ?? "",
    llmModel: s.assistant.llm?.model ?? "",
    llmApiKey: "",
    llmRemoveKey: false,
  };
}

/** A number box: empty is `null`, so the API names the field instead of taking a zero. */
function numberOf(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function textOrNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** A list typed as words separated by commas, spaces or new lines. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function twilioPatch(d: SettingsDraft, current: Settings): Pick<SettingsPatch, "twilio"> | FieldIssue {
  if (!d.twilioOn) return current.twilio === null ? {} : { twilio: null };
  const accountSid = d.twilioAccountSid.trim();
  const token = d.twilioAuthToken.trim();
  if (token !== "") return { twilio: { accountSid, authToken: token } };
  if (current.twilio !== null && current.twilio.accountSid === accountSid) return {};
  // A new account needs its own token: the stored one belongs to another account, or there is none.
  return { path: "twilio.authToken", message: "enter the auth token of this account" };
}

function llmPatch(d: SettingsDraft): NonNullable<SettingsPatch["assistant"]>["llm"] {
  if (!d.llmOn) return null;
  const key = d.llmApiKey.trim();
  return {
    baseUrl: d.llmBaseUrl.trim(),
    model: d.llmModel.trim(),
    ...(key !== "" ? { apiKey: key } : d.llmRemoveKey ? { apiKey: null } : {}),
  };
}

/**
 * The PATCH for the whole form. Secrets are sent only when typed (or removed on purpose), so a save
 * never touches a stored token it did not mean to. A form problem the API cannot see (an account
 * without a token to go with it) comes back as a field issue instead.
 */
export function patchOf(
  d: SettingsDraft,
  current: Settings,
): { patch: SettingsPatch } | { issue: FieldIssue } {
  const twilio = twilioPatch(d, current);
  if ("path" in twilio) return { issue: twilio };
  return {
    patch: {
      assistantName: d.assistantName.trim(),
      followUpWindow: {
        startHour: numberOf(d.windowStart),
        endHour: numberOf(d.windowEnd),
        days: d.windowDays,
        timeZone: d.timeZone,
        holidays: d.holidays,
        applyToInitialOutreach: d.applyToInitialOutreach,
      },
      longTermFollowUps: { enabled: d.longTermEnabled, intervalDays: numberOf(d.longTermIntervalDays) },
      quietHours: {
        enabled: d.quietEnabled,
        startHour: numberOf(d.quietStart),
        endHour: numberOf(d.quietEnd),
      },
      senders: {
        sms: { from: textOrNull(d.smsFrom), messagingServiceSid: textOrNull(d.messagingServiceSid) },
        email: { from: textOrNull(d.emailFrom), replyTo: textOrNull(d.emailReplyTo) },
      },
      ...twilio,
      complianceCheck: d.complianceOn
        ? {
            url: d.complianceUrl.trim(),
            channels: d.complianceChannels,
            timeoutMs: numberOf(d.complianceTimeoutMs),
            onUnreachable: d.complianceOnUnreachable,
          }
        : null,
      unsubscribeKeywords: listOf(d.unsubscribeKeywords),
      helpReply: d.helpReply.trim(),
      responseDelaySeconds: numberOf(d.responseDelaySeconds),
      linkedOptOut: d.linkedOptOut,
      notificationEmails: listOf(d.notificationEmails),
      assistant: {
        provider: d.assistantProvider,
        optOutLine: textOrNull(d.optOutLine),
        discloseAi: d.discloseAi,
        allowedDomains: listOf(d.allowedDomains),
        llm: llmPatch(d),
      },
    },
  };
}
