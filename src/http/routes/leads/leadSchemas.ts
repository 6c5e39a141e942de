import { z } from "zod";
import { followUpConfigSchema } from "../../../domain/leads/followUpConfig.js";

export const leadIdParams = z.object({ leadId: z.string().min(1).max(100) });

export const leadViewSchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  timeZone: z.string().nullable(),
  customerProfile: z.string(),
  externalLeadId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastActivityAt: z.string().nullable(),
  additionalInfo: z.record(z.string(), z.unknown()),
  hasReplied: z.boolean(),
  isHot: z.boolean(),
  isQualified: z.boolean(),
  isUnsubscribed: z.boolean(),
  isAiOn: z.boolean(),
  tags: z.array(z.object({ id: z.string(), name: z.string(), condition: z.string().nullable() })),
  summary: z.string().nullable(),
  followUpConfig: followUpConfigSchema,
  followUpStep: z.number(),
  nextFollowUpAt: z.string().nullable(),
  deleted: z.boolean(),
  deletedAt: z.string().nullable(),
});
export type LeadView = z.output<typeof leadViewSchema>;
