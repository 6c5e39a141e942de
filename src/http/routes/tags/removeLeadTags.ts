import { leadTagIdsSchema, removeLeadTags } from "../../../domain/tags/leadTags.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "../leads/leadSchemas.js";
import { leadTagsResponseSchema } from "./tagSchemas.js";

export type { LeadTags as RemoveLeadTagsResponse } from "./tagSchemas.js";

export const removeLeadTagsRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/leads/:leadId/tags/remove",
    {
      schema: {
        tags: ["leads"],
        summary: "Remove tags from a lead (compat); returns the tags it keeps",
        params: leadIdParams,
        body: leadTagIdsSchema,
        response: { 200: leadTagsResponseSchema, ...errorResponses },
      },
    },
    async (request) => ({
      tags: await removeLeadTags(ctx, callerOf(request).orgId, request.params.leadId, request.body.tagIds),
    }),
  );
};
