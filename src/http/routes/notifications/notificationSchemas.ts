import { z } from "zod";
import { notificationChannelSchema } from "../../../domain/notifications/notificationInput.js";

export const notificationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  condition: z.string(),
  enabled: z.boolean(),
  channels: z.array(notificationChannelSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NotificationView = z.output<typeof notificationViewSchema>;

export const notificationIdParams = z.object({ notificationId: z.string().min(1).max(100) });
