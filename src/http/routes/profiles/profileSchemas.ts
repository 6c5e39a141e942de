import { z } from "zod";
import { followUpConfigSchema } from "../../../domain/leads/followUpConfig.js";

const template = z.object({ text: z.string(), subject: z.string().optional() });

export const profileViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  smsEnabled: z.boolean(),
  emailEnabled: z.boolean(),
  voiceEnabled: z.boolean(),
  initialMessage: z.string().nullable(),
  initialSubject: z.string().nullable(),
  followUpConfig: followUpConfigSchema,
  followUpTemplates: z.record(z.string(), template),
  nurtureTemplate: template.nullable(),
  instructions: z.string().nullable(),
  bookingUrl: z.string().nullable(),
  extract: z.array(z.string()),
  maxSmsLength: z.number().int(),
  initialOutreach: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProfileView = z.output<typeof profileViewSchema>;

export const profileIdParams = z.object({ profileId: z.string().min(1).max(100) });
