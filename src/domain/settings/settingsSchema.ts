import { z } from "zod";
import type { FieldIssue } from "../errors.js";
import { normalizePhone, phoneSchema } from "../leads/phone.js";
import { timeZoneSchema } from "../leads/timeZone.js";

/** Words that already mean something else on SMS (messaging.md); as opt-outs they would contradict it. */
const RESERVED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["START", "opt-in"],
  ["YES", "opt-in"],
  ["UNSTOP", "opt-in"],
  ["HELP", "help"],
  ["INFO", "help"],
]);

const QUIET_HOURS_FLOOR = { startHour: 8, endHour: 21 } as const;

function uniqueItems<T extends string | number>(items: T[], ctx: z.RefinementCtx): void {
  items.forEach((item, index) => {
    if (items.indexOf(item) !== index) {
      ctx.addIssue({ code: "custom", path: [index], message: `repeats ${String(item)}` });
    }
  });
}

function endAfterStart(hours: { startHour: number; endHour: number }, ctx: z.RefinementCtx): void {
  if (hours.endHour <= hours.startHour) {
    ctx.addIssue({
      code: "custom",
      path: ["endHour"],
      message: `must be greater than startHour (${hours.startHour})`,
    });
  }
}

const holidaySchema = z.iso.date({ message: "must be a real calendar date as YYYY-MM-DD" });

const unsubscribeKeywordSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(50)
  .regex(/^[\p{L}\p{N}]*$/u, "must be a single word of letters and digits")
  .toUpperCase()
  .refine((word) => !RESERVED_KEYWORDS.has(word), {
    error: (issue) =>
      `${String(issue.input)} is already an ${RESERVED_KEYWORDS.get(String(issue.input))} keyword`,
  });

// The stored form of a phone; input goes through phoneSchema, which normalises to it.
const e164Schema = z
  .string()
  .refine((value) => normalizePhone(value) === value, { message: "must be an E.164 phone number" });

function isAllowedComplianceUrl(value: string): boolean {
  const url = URL.parse(value);
  if (url === null) return false;
  // Plain http only to this machine, so local tests and sidecars work without exposing lead data.
  return (
    url.protocol === "https:" ||
    (url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1"))
  );
}

const followUpWindowShape = {
  startHour: z.number().int().min(0).max(23),
  endHour: z.number().int().min(1).max(24),
  days: z
    .array(
      z.number().int().min(1, "ISO weekdays are 1 (Monday) to 7 (Sunday)").max(7, "ISO weekdays are 1..7"),
    )
    .min(1, "must allow at least one day")
    .superRefine(uniqueItems),
  timeZone: timeZoneSchema,
  holidays: z.array(holidaySchema).max(1000).superRefine(uniqueItems),
  applyToInitialOutreach: z.boolean(),
};

const quietHoursShape = {
  enabled: z.boolean(),
  startHour: z
    .number()
    .int()
    .min(QUIET_HOURS_FLOOR.startHour, "must be 8 or later: no SMS before 08:00 is the legal floor")
    .max(23),
  endHour: z
    .number()
    .int()
    .min(1)
    .max(QUIET_HOURS_FLOOR.endHour, "must be 21 or earlier: no SMS after 21:00 is the legal floor"),
};

const longTermFollowUpsShape = {
  enabled: z.boolean(),
  intervalDays: z.number().int().min(1).max(365),
};

const smsSenderShape = {
  from: e164Schema.nullable(),
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/, "must be a Twilio messaging service SID (MG + 32 hex digits)")
    .nullable(),
};

const emailSenderShape = {
  from: z.email().nullable(),
  replyTo: z.email().nullable(),
};

const complianceCheckShape = {
  url: z
    .string()
    .max(2048)
    .refine(isAllowedComplianceUrl, { message: "must be an https URL (http only for localhost)" }),
  channels: z
    .array(z.enum(["sms", "email"]))
    .min(1, "must name at least one channel")
    .superRefine(uniqueItems),
  timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  onUnreachable: z.enum(["block", "allow"]).default("block"),
};

/** What the API shows instead of a stored secret; never accepted back as a value. */
export const REDACTED = "[redacted]";

const secretSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(200)
  .refine((value) => value !== REDACTED, { message: "send the real value, not the redacted placeholder" });

const accountSidSchema = z
  .string()
  .regex(/^AC[0-9a-f]{32}$/, "must be a Twilio account SID (AC + 32 hex digits)");

/** The org's own Twilio account: sends and inbound signature checks use it instead of the server's. */
const twilioShape = { accountSid: accountSidSchema, authToken: secretSchema };

/** As stored: the token may be sealed (enc:v1:…, longer than any token; see secretBox.ts). */
const storedTwilioShape = { accountSid: accountSidSchema, authToken: z.string().min(8) };

/**
 * The org's model server, when the org overrides the server's (LLM_BASE_URL, LLM_MODEL,
 * LLM_API_KEY). The key is sealed when stored like the Twilio token and never returned.
 */
const llmShape = {
  baseUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2048),
  model: z.string().trim().min(1, "must not be empty").max(200),
  apiKey: secretSchema.nullable(),
};
const storedLlmShape = { ...llmShape, apiKey: z.string().min(8).nullable() };

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a domain name like example.com",
  );

/** How the assistant works for this org: which brain, and the guards every draft must pass. */
const assistantShape = {
  /** `server`: whatever ASSISTANT_PROVIDER says; `rules` or `llm` to choose for this org. */
  provider: z.enum(["server", "rules", "llm"]),
  /** Appended to the first SMS to a lead; null for none. */
  optOutLine: z.string().trim().min(1, "must not be empty").max(100).nullable(),
  /** The assistant says it is an assistant and never claims to be a person. */
  discloseAi: z.boolean(),
  /** Links a draft may carry besides the profile's bookingUrl and the unsubscribe link. */
  allowedDomains: z.array(domainSchema).max(50).superRefine(uniqueItems),
};

const scalarShape = {
  assistantName: z.string().trim().min(1, "must not be empty").max(100),
  unsubscribeKeywords: z.array(unsubscribeKeywordSchema).max(50).superRefine(uniqueItems),
  helpReply: z.string().trim().min(1, "must not be empty").max(320),
  linkedOptOut: z.boolean(),
  responseDelaySeconds: z.number().int().min(0).max(3600),
  /** Who hears about a matched notification rule by email (when email is configured). */
  notificationEmails: z.array(z.email().max(254)).max(20).superRefine(uniqueItems),
};

/**
 * The whole settings document, as stored and returned. Not strict, so a stored document keeps
 * reading after a key is retired; the PATCH body below is strict.
 */
export const settingsSchema = z.object({
  ...scalarShape,
  followUpWindow: z.object(followUpWindowShape).superRefine(endAfterStart),
  quietHours: z.object(quietHoursShape).superRefine(endAfterStart),
  longTermFollowUps: z.object(longTermFollowUpsShape),
  senders: z.object({ sms: z.object(smsSenderShape), email: z.object(emailSenderShape) }),
  complianceCheck: z.object(complianceCheckShape).nullable(),
  twilio: z.object(storedTwilioShape).nullable(),
  assistant: z.object({ ...assistantShape, llm: z.object(storedLlmShape).nullable() }),
});

export type Settings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  assistantName: "Leadwire Assistant",
  followUpWindow: {
    startHour: 9,
    endHour: 20,
    days: [1, 2, 3, 4, 5],
    timeZone: "America/New_York",
    holidays: [],
    applyToInitialOutreach: false,
  },
  quietHours: { enabled: true, ...QUIET_HOURS_FLOOR },
  longTermFollowUps: { enabled: false, intervalDays: 30 },
  unsubscribeKeywords: [],
  helpReply: "Reply STOP to unsubscribe. Msg&data rates may apply.",
  linkedOptOut: false,
  responseDelaySeconds: 0,
  senders: {
    sms: { from: null, messagingServiceSid: null },
    email: { from: null, replyTo: null },
  },
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

/**
 * A PATCH body: every key optional, unknown keys refused. Cross-field rules wait for the merged
 * document, since one side of a pair may come from what is stored.
 */
export const settingsPatchSchema = z.strictObject({
  assistantName: scalarShape.assistantName.optional(),
  followUpWindow: z.strictObject(followUpWindowShape).partial().optional(),
  quietHours: z.strictObject(quietHoursShape).partial().optional(),
  longTermFollowUps: z.strictObject(longTermFollowUpsShape).partial().optional(),
  unsubscribeKeywords: scalarShape.unsubscribeKeywords.optional(),
  helpReply: scalarShape.helpReply.optional(),
  linkedOptOut: scalarShape.linkedOptOut.optional(),
  responseDelaySeconds: scalarShape.responseDelaySeconds.optional(),
  senders: z
    .strictObject({
      sms: z
        .strictObject({ ...smsSenderShape, from: phoneSchema.nullable() })
        .partial()
        .optional(),
      email: z.strictObject(emailSenderShape).partial().optional(),
    })
    .optional(),
  complianceCheck: z.strictObject(complianceCheckShape).nullable().optional(),
  twilio: z.strictObject(twilioShape).nullable().optional(),
  notificationEmails: scalarShape.notificationEmails.optional(),
  assistant: z
    .strictObject({
      ...assistantShape,
      // Without apiKey, the stored key stays: changing the model must not mean re-entering it.
      llm: z.strictObject({ ...llmShape, apiKey: llmShape.apiKey.optional() }).nullable(),
    })
    .partial()
    .optional(),
});

/** The document as the API returns it: the same, with secrets shown as the placeholder. */
export const publicSettingsSchema = settingsSchema.extend({
  twilio: z.object({ accountSid: z.string(), authToken: z.literal(REDACTED) }).nullable(),
  assistant: z.object({
    ...assistantShape,
    llm: z
      .object({ baseUrl: z.string(), model: z.string(), apiKey: z.literal(REDACTED).nullable() })
      .nullable(),
  }),
});

/** Settings as the API shows them: secrets replaced by a placeholder. */
export function redactSettings(settings: Settings): z.output<typeof publicSettingsSchema> {
  return {
    ...settings,
    twilio: settings.twilio === null ? null : { accountSid: settings.twilio.accountSid, authToken: REDACTED },
    assistant: {
      ...settings.assistant,
      llm:
        settings.assistant.llm === null
          ? null
          : { ...settings.assistant.llm, apiKey: settings.assistant.llm.apiKey === null ? null : REDACTED },
    },
  };
}

export type SettingsPatch = z.output<typeof settingsPatchSchema>;

/** Sections merge key by key (senders one level deeper); arrays, scalars and complianceCheck replace. */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const { followUpWindow, quietHours, longTermFollowUps, senders, assistant, ...replaced } = patch;
  return {
    ...current,
    ...replaced,
    followUpWindow: { ...current.followUpWindow, ...followUpWindow },
    quietHours: { ...current.quietHours, ...quietHours },
    longTermFollowUps: { ...current.longTermFollowUps, ...longTermFollowUps },
    senders: {
      sms: { ...current.senders.sms, ...senders?.sms },
      email: { ...current.senders.email, ...senders?.email },
    },
    assistant: {
      ...current.assistant,
      ...assistant,
      llm:
        assistant?.llm === undefined
          ? current.assistant.llm
          : assistant.llm === null
            ? null
            : {
                ...assistant.llm,
                apiKey:
                  assistant.llm.apiKey === undefined
                    ? (current.assistant.llm?.apiKey ?? null)
                    : assistant.llm.apiKey,
              },
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fills keys a stored document lacks (it was written before they existed) from the defaults. */
export function withDefaults(defaults: unknown, stored: unknown): unknown {
  if (stored === undefined) return defaults;
  if (!isPlainObject(defaults) || !isPlainObject(stored)) return stored;
  const filled: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(defaults)) filled[key] = withDefaults(value, stored[key]);
  return filled;
}

export type SettingsCheck = { ok: true; settings: Settings } | { ok: false; issues: FieldIssue[] };

/** Validates a whole document; issue paths are dotted, e.g. `followUpWindow.endHour`. */
export function checkSettings(candidate: unknown): SettingsCheck {
  const result = settingsSchema.safeParse(candidate);
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  };
}
