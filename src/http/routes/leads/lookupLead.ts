import { z } from "zod";
import { phoneSchema } from "../../../domain/leads/phone.js";
import { lookupLeadByPhone } from "../../../domain/leads/readLeads.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadViewSchema } from "./leadSchemas.js";

export type { LeadView as LookupLeadResponse } from "./leadSchemas.js";

export const lookupLeadRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/leads/lookup",
    {
      schema: {
        tags: ["leads"],
        summary: "Find the live lead with a phone number (any accepted format)",
        querystring: z.strictObject({ phone: phoneSchema }),
        response: { 200: leadViewSchema, ...errorResponses },
      },
    },
    async (request) => lookupLeadByPhone(ctx, callerOf(request).orgId, request.query.phone),
  );
};
