import { z } from "zod";
import { listLeads } from "../../../domain/leads/readLeads.js";
import { errorResponses, isoDateTimeSchema, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadViewSchema } from "./leadSchemas.js";

const querystring = z.strictObject({
  updatedSince: isoDateTimeSchema.optional(),
  createdSince: isoDateTimeSchema.optional(),
  limit: limitSchema,
  nextToken: z.string().min(1).max(1000).optional(),
});

const pageSchema = z.object({ leads: z.array(leadViewSchema), nextToken: z.string().nullable() });
export type ListLeadsResponse = z.output<typeof pageSchema>;

export const listLeadsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/leads",
    {
      schema: {
        tags: ["leads"],
        summary: "Incremental sync of leads (compat): by updatedSince and/or createdSince",
        querystring,
        response: {
          200: pageSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => listLeads(ctx, callerOf(request).orgId, request.query),
  );
};
