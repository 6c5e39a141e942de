import { leadTagIdsSchema, replaceLeadTags } from "../../../domain/tags/leadTags.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "../leads/leadSchemas.js";
import { leadTagsResponseSchema } from "./tagSchemas.js";

export type { LeadTags as ReplaceLeadTagsResponse } from "./tagSchemas.js";

export const replaceLeadTagsRoute: RegisterRoute = (app, { ctx }) => {
  app.put(
    "/leads/:leadId/tags",
    {
      schema: {
        tags: ["leads"],
        summary: "Replace a lead's tags (compat); each newly applied tag fires leadTagged",
        params: leadIdParams,
        body: leadTagIdsSchema,
        response: { 200: leadTagsResponseSchema, ...errorResponses },
      },
    },
    async (request) => ({
      tags: await replaceLeadTags(ctx, callerOf(request).orgId, request.params.leadId, request.body.tagIds),
    }),
  );
};
