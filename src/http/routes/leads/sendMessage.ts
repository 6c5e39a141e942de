import { z } from "zod";
import { queueMessage } from "../../../domain/messages/queueMessage.js";
import { errorResponses, isoDateTimeSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

const body = z.strictObject({
  message: z
    .string()
    .min(1, "must not be empty")
    .max(100_000)
    .refine((text) => text.trim() !== "", "must not be only whitespace"),
  scheduledTime: isoDateTimeSchema.optional(),
  sendWhenOff: z.boolean().default(false),
  scheduleFollowUps: z.boolean().default(false),
  overrideBusinessHours: z.boolean().default(false),
  channel: z.enum(["sms", "email"]).default("sms"),
  subject: z.string().min(1).max(998).optional(),
});

const sentSchema = z.object({
  message: z.literal("Message sent successfully."),
  messageId: z.string(),
  scheduledFor: z.string(),
});
export type SendMessageResponse = z.output<typeof sentSchema>;

export const sendMessageRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/leads/:leadId/sendMessage",
    {
      schema: {
        tags: ["leads"],
        summary: "Send (or queue) a message to a lead (compat); checks run when it is sent",
        params: leadIdParams,
        body,
        response: {
          200: sentSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { messageId, dueAt } = await queueMessage(
        ctx,
        callerOf(request).orgId,
        request.params.leadId,
        request.body,
      );
      return { message: "Message sent successfully." as const, messageId, scheduledFor: dueAt };
    },
  );
};
