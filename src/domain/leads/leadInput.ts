import { z } from "zod";
import { additionalInfoSchema } from "./additionalInfo.js";
import { followUpConfigSchema, followUpStepSchema } from "./followUpConfig.js";
import { phoneSchema } from "./phone.js";
import { timeZoneSchema } from "./timeZone.js";

const name = z.string().trim().min(1, "must not be empty").max(200);
const externalLeadId = z.string().trim().min(1, "must not be empty").max(200);
export const emailSchema = z
  .email({ message: "must be a valid email address" })
  .max(320)
  .transform((e) => e.toLowerCase());

export const createLeadSchema = z.strictObject({
  firstName: name,
  lastName: name,
  phone: phoneSchema,
  customerProfile: z.string().min(1, "must name an existing profile").max(200),
  timeZone: timeZoneSchema.optional(),
  email: emailSchema.optional(),
  additionalInfo: additionalInfoSchema.optional(),
  externalLeadId: externalLeadId.optional(),
});

export type CreateLeadInput = z.infer<typeof createLeadSchema>;

/** `null` clears an optional field; absent leaves it alone. */
export const updateLeadSchema = z.strictObject({
  firstName: name.optional(),
  lastName: name.optional(),
  email: emailSchema.nullable().optional(),
  timeZone: timeZoneSchema.nullable().optional(),
  externalLeadId: externalLeadId.nullable().optional(),
  isAiOn: z.boolean().optional(),
  additionalInfo: additionalInfoSchema.optional(),
  followUpConfig: followUpConfigSchema.nullable().optional(),
  followUpStep: followUpStepSchema.optional(),
});

export type UpdateLeadInput = z.infer<typeof updateLeadSchema>;
