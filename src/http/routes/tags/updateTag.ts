import { updateTag, updateTagSchema } from "../../../domain/tags/tags.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { tagIdParams, tagViewSchema } from "./tagSchemas.js";

export type { TagView as UpdateTagResponse } from "./tagSchemas.js";

export const updateTagRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/tags/:tagId",
    {
      schema: {
        tags: ["tags"],
        summary: "Update a tag (built-in tags keep their names)",
        params: tagIdParams,
        body: updateTagSchema,
        response: { 200: tagViewSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) => updateTag(ctx, callerOf(request).orgId, request.params.tagId, request.body),
  );
};
