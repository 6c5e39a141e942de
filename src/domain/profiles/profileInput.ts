import { z } from "zod";
import { checkFollowUpConfigUsable, followUpConfigSchema } from "../leads/followUpConfig.js";
import { messageTemplateSchema, templateTextSchema } from "./templates.js";

/** `{ "<step>": { text, subject? } }`: a template per follow-up step. */
export const followUpTemplatesSchema = z.record(
  z.string().regex(/^[1-9][0-9]{0,2}$/, "keys are step numbers"),
  messageTemplateSchema,
);

const fields = {
  name: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().max(2000).nullable(),
  smsEnabled: z.boolean(),
  emailEnabled: z.boolean(),
  voiceEnabled: z.literal(false, { message: "voice is not available yet" }),
  initialMessage: templateTextSchema.nullable(),
  initialSubject: templateTextSchema.max(998).nullable(),
  followUpConfig: followUpConfigSchema,
  followUpTemplates: followUpTemplatesSchema,
  nurtureTemplate: messageTemplateSchema.nullable(),
  instructions: z.string().max(4000).nullable(),
  bookingUrl: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .max(2048)
    .nullable(),
  extract: z
    .array(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "must be an additionalInfo key (letters, digits, _)"),
    )
    .max(20)
    .refine((keys) => new Set(keys).size === keys.length, { message: "repeats a key" }),
  maxSmsLength: z.number().int().min(40).max(1600),
  initialOutreach: z.boolean(),
};

export const createProfileSchema = z.strictObject({
  name: fields.name,
  description: fields.description.optional(),
  smsEnabled: fields.smsEnabled.default(true),
  emailEnabled: fields.emailEnabled.default(false),
  voiceEnabled: fields.voiceEnabled.default(false),
  initialMessage: fields.initialMessage.optional(),
  initialSubject: fields.initialSubject.optional(),
  followUpConfig: fields.followUpConfig.default({}),
  followUpTemplates: fields.followUpTemplates.default({}),
  nurtureTemplate: fields.nurtureTemplate.optional(),
  instructions: fields.instructions.optional(),
  bookingUrl: fields.bookingUrl.optional(),
  extract: fields.extract.default([]),
  maxSmsLength: fields.maxSmsLength.default(320),
  initialOutreach: fields.initialOutreach.default(false),
});

export const updateProfileSchema = z.strictObject({
  name: fields.name.optional(),
  description: fields.description.optional(),
  smsEnabled: fields.smsEnabled.optional(),
  emailEnabled: fields.emailEnabled.optional(),
  voiceEnabled: fields.voiceEnabled.optional(),
  initialMessage: fields.initialMessage.optional(),
  initialSubject: fields.initialSubject.optional(),
  followUpConfig: fields.followUpConfig.optional(),
  followUpTemplates: fields.followUpTemplates.optional(),
  nurtureTemplate: fields.nurtureTemplate.optional(),
  instructions: fields.instructions.optional(),
  bookingUrl: fields.bookingUrl.optional(),
  extract: fields.extract.optional(),
  maxSmsLength: fields.maxSmsLength.optional(),
  initialOutreach: fields.initialOutreach.optional(),
});

export type CreateProfileInput = z.infer<typeof createProfileSchema>;
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;

export interface ProfileData {
  name: string;
  description: string | null;
  smsEnabled: boolean;
  emailEnabled: boolean;
  voiceEnabled: boolean;
  initialMessage: string | null;
  initialSubject: string | null;
  followUpConfig: z.infer<typeof followUpConfigSchema>;
  followUpTemplates: Record<string, z.infer<typeof messageTemplateSchema>>;
  nurtureTemplate: z.infer<typeof messageTemplateSchema> | null;
  instructions: string | null;
  bookingUrl: string | null;
  extract: string[];
  maxSmsLength: number;
  initialOutreach: boolean;
}

/** Rules across fields of a whole profile; paths name the field to fix. */
export function profileIssues(profile: ProfileData): { path: string; message: string }[] {
  const issues = checkFollowUpConfigUsable(profile.followUpConfig, profile, undefined, "followUpConfig");
  for (const [step, template] of Object.entries(profile.followUpTemplates)) {
    const stepConfig = profile.followUpConfig[step];
    if (stepConfig === undefined) {
      issues.push({ path: `followUpTemplates.${step}`, message: `step ${step} is not in followUpConfig` });
    } else if (stepConfig.channel === "email" && template.subject === undefined) {
      issues.push({ path: `followUpTemplates.${step}.subject`, message: "an email step needs a subject" });
    }
  }
  if (!profile.smsEnabled && !profile.emailEnabled) {
    issues.push({ path: "smsEnabled", message: "enable at least one channel (smsEnabled or emailEnabled)" });
  }
  return issues;
}
