import { z } from "zod";
import { switchCustomerProfile } from "../../../domain/followups/switchProfile.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

const body = z.strictObject({
  profile: z.string().min(1).max(200),
  sendMessage: z.boolean().default(false),
  messageDelayHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
  messageDelayMins: z
    .number()
    .min(0)
    .max(60 * 24 * 365)
    .optional(),
  // Accepted for compatibility; the assistant's memory comes with the AI assistant.
  clearMemory: z.boolean().default(false),
});

export const switchCustomerProfileRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/leads/:leadId/switchCustomerProfile",
    {
      schema: {
        tags: ["leads"],
        summary: "Move a lead to another profile (compat); its follow-up config applies from now",
        params: leadIdParams,
        body,
        response: {
          200: z.object({ message: z.literal("Customer profile switched successfully.") }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await switchCustomerProfile(ctx, callerOf(request).orgId, request.params.leadId, request.body);
      return { message: "Customer profile switched successfully." as const };
    },
  );
};
