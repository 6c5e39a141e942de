import { z } from "zod";
import { INTENTS } from "../assistant/assistant.js";

export const NOTIFICATION_CHANNELS = ["sms", "email", "call"] as const;
export const notificationChannelSchema = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

const KNOWN_INTENTS: ReadonlySet<string> = new Set(INTENTS);
const INTENT_ITEM = /^intent\s*:\s*(.*)$/i;

/**
 * A misspelt `intent:` item would be read as a phrase no lead ever writes, so the rule would
 * silently never fire; refusing it at the door is the only place the mistake is visible.
 */
function checkIntentItems(condition: string, ctx: z.RefinementCtx): void {
  for (const item of condition.split(",")) {
    const match = INTENT_ITEM.exec(item.trim());
    if (match === null) continue;
    const name = (match[1] ?? "").trim();
    if (!KNOWN_INTENTS.has(name)) {
      ctx.addIssue({
        code: "custom",
        message: `unknown intent "${name}" in an intent: item; use one of ${INTENTS.join(", ")}`,
      });
    }
  }
}

const fields = {
  name: z.string().trim().min(1, "must not be empty").max(100),
  condition: z.string().trim().min(1, "must not be empty").max(1000).superRefine(checkIntentItems),
  enabled: z.boolean(),
  channels: z
    .array(notificationChannelSchema)
    .min(1, "must name at least one channel")
    .superRefine((channels, ctx) => {
      channels.forEach((channel, index) => {
        const first = channels.indexOf(channel);
        if (first !== index)
          ctx.addIssue({ code: "custom", path: [index], message: `repeats channels.${first}` });
      });
    })
    // One order whatever the caller sent, so equal sets read back equal.
    .transform((channels) => NOTIFICATION_CHANNELS.filter((channel) => channels.includes(channel))),
};

export const createNotificationSchema = z.strictObject({
  name: fields.name,
  condition: fields.condition,
  enabled: fields.enabled.default(true),
  channels: fields.channels.default(["sms", "email"]),
});

export const updateNotificationSchema = z.strictObject({
  name: fields.name.optional(),
  condition: fields.condition.optional(),
  enabled: fields.enabled.optional(),
  channels: fields.channels.optional(),
});

export type CreateNotificationInput = z.infer<typeof createNotificationSchema>;
export type UpdateNotificationInput = z.infer<typeof updateNotificationSchema>;

/** The stored `channels` column, checked: a corrupt row fails here, loudly. */
export const storedChannelsSchema = z.array(notificationChannelSchema);
