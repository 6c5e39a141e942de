import { z } from "zod";
import { addContext } from "../../../domain/leads/addContext.js";
import { additionalInfoSchema } from "../../../domain/leads/additionalInfo.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

const body = z
  .strictObject({
    context: z.string().min(1).max(20_000).optional(),
    additionalInfo: additionalInfoSchema.optional(),
    command: z.string().min(1).max(2_000).optional(),
  })
  .refine((b) => b.context !== undefined || b.additionalInfo !== undefined || b.command !== undefined, {
    message: "give at least one of context, additionalInfo, command",
    path: ["context"],
  });

export const addContextRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/leads/:leadId/addContext",
    {
      schema: {
        tags: ["leads"],
        summary: "Add context to a lead's timeline and merge additionalInfo (compat)",
        params: leadIdParams,
        body,
        response: { 200: z.object({ message: z.literal("Success") }), ...errorResponses },
      },
    },
    async (request) => {
      await addContext(ctx, callerOf(request).orgId, request.params.leadId, request.body);
      return { message: "Success" as const };
    },
  );
};
