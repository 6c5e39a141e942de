import { z } from "zod";

export const followUpStepConfigSchema = z
  .strictObject({
    hours: z
      .number()
      .positive()
      .max(24 * 365),
    channel: z.enum(["text", "email", "call"]),
    voicemailEnabled: z.boolean().optional(),
    strategyIds: z.union([z.literal("auto"), z.array(z.string().min(1).max(200)).max(50)]).optional(),
  })
  .superRefine((step, ctx) => {
    if (step.voicemailEnabled !== undefined && step.channel !== "call") {
      ctx.addIssue({
        code: "custom",
        path: ["voicemailEnabled"],
        message: "is only valid with channel call",
      });
    }
  });

export type FollowUpStepConfig = z.infer<typeof followUpStepConfigSchema>;

/** `{ "1": {...}, "2": {...} }`: keys are step numbers, consecutive from 1. */
export const followUpConfigSchema = z
  .record(z.string().regex(/^[1-9][0-9]{0,2}$/, "step keys are numbers from 1"), followUpStepConfigSchema)
  .superRefine((config, ctx) => {
    const steps = Object.keys(config)
      .map(Number)
      .sort((a, b) => a - b);
    steps.forEach((step, index) => {
      if (step !== index + 1) {
        ctx.addIssue({
          code: "custom",
          path: [String(step)],
          message: "step keys must be consecutive from 1",
        });
      }
    });
  });

export type FollowUpConfig = z.infer<typeof followUpConfigSchema>;

/** `1, 2, …` a step; `-1` stopped; `-2` long-term nurture. */
export const followUpStepSchema = z
  .number()
  .int()
  .refine((n) => n >= 1 || n === -1 || n === -2, { message: "must be a step number (1, 2, …), -1 or -2" });

export const STOPPED = -1;
export const NURTURE = -2;

export interface ChannelAbilities {
  smsEnabled: boolean;
  emailEnabled: boolean;
  voiceEnabled: boolean;
}

/**
 * Rules that depend on the profile and lead: `call` needs voice, `email` needs email enabled and
 * an address, `text` needs SMS. Returns issues with paths under `pathPrefix`.
 */
export function checkFollowUpConfigUsable(
  config: FollowUpConfig,
  abilities: ChannelAbilities,
  leadEmail: string | null | undefined,
  pathPrefix: string,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  for (const [key, step] of Object.entries(config)) {
    const path = `${pathPrefix}.${key}.channel`;
    if (step.channel === "call" && !abilities.voiceEnabled) {
      issues.push({ path, message: "call is not available: voice is not enabled on the profile" });
    }
    if (step.channel === "email" && !abilities.emailEnabled) {
      issues.push({ path, message: "email is not enabled on the profile" });
    }
    if (step.channel === "email" && leadEmail === null) {
      issues.push({ path, message: "the lead has no email address" });
    }
    if (step.channel === "text" && !abilities.smsEnabled) {
      issues.push({ path, message: "SMS is not enabled on the profile" });
    }
  }
  return issues;
}
