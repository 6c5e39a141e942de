import { z } from "zod";
import { updateLeadSchema } from "../../../domain/leads/leadInput.js";
import { updateLead } from "../../../domain/leads/updateLead.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

export const updateLeadRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/leads/:leadId",
    {
      schema: {
        tags: ["leads"],
        summary: "Update a lead (compat fields); additionalInfo is merged",
        params: leadIdParams,
        body: updateLeadSchema,
        response: { 200: z.object({ message: z.literal("Lead updated successfully.") }), ...errorResponses },
      },
    },
    async (request) => {
      await updateLead(ctx, callerOf(request).orgId, request.params.leadId, request.body);
      return { message: "Lead updated successfully." as const };
    },
  );
};
