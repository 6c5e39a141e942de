import { deleteTag } from "../../../domain/tags/tags.js";
import { errorBodySchema, errorResponses, messageSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { tagIdParams } from "./tagSchemas.js";

export const deleteTagRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/tags/:tagId",
    {
      schema: {
        tags: ["tags"],
        summary: "Delete a manual tag and remove it from every lead",
        params: tagIdParams,
        response: { 200: messageSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) => {
      await deleteTag(ctx, callerOf(request).orgId, request.params.tagId);
      return { message: "Tag deleted successfully." };
    },
  );
};
