import { z } from "zod";
import { deleteLead } from "../../../domain/leads/deleteLead.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

export const deleteLeadRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/leads/:leadId",
    {
      schema: {
        tags: ["leads"],
        summary: "Soft-delete a lead: it stops everything and stays listed with deleted: true",
        params: leadIdParams,
        response: { 200: z.object({ message: z.literal("Lead deleted successfully.") }), ...errorResponses },
      },
    },
    async (request) => {
      await deleteLead(ctx, callerOf(request).orgId, request.params.leadId);
      return { message: "Lead deleted successfully." as const };
    },
  );
};
