import { getLead } from "../../../domain/leads/readLeads.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams, leadViewSchema } from "./leadSchemas.js";

export type { LeadView as GetLeadResponse } from "./leadSchemas.js";

export const getLeadRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/leads/:leadId",
    {
      schema: {
        tags: ["leads"],
        summary: "Get a lead (compat)",
        params: leadIdParams,
        response: { 200: leadViewSchema, ...errorResponses },
      },
    },
    async (request) => getLead(ctx, callerOf(request).orgId, request.params.leadId),
  );
};
