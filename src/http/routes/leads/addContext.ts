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

export const addContextRoute: RegisterRoute = (app, { ctx, assistantFor }) => {
  app.post(
    "/leads/:leadId/addContext",
    {
      schema: {
        tags: ["leads"],
        summary:
          "Add context to a lead's timeline, merge additionalInfo, and give the assistant a command (compat)",
        description:
          "`command` is an instruction the assistant carries out: send a message now (`send: <text>`, `text them that …`), follow up at a time (`follow up in 2 days`, `follow up on Friday at 10am`), stop follow-ups, or turn the assistant off for this lead. A command it cannot carry out is a 400 naming `command`, and nothing changes.",
        params: leadIdParams,
        body,
        response: { 200: z.object({ message: z.literal("Success") }), ...errorResponses },
      },
    },
    async (request) => {
      await addContext(ctx, assistantFor, callerOf(request).orgId, request.params.leadId, request.body);
      return { message: "Success" as const };
    },
  );
};
