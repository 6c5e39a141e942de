import { createTag, createTagSchema } from "../../../domain/tags/tags.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { tagViewSchema } from "./tagSchemas.js";

export type { TagView as CreateTagResponse } from "./tagSchemas.js";

export const createTagRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/tags",
    {
      schema: {
        tags: ["tags"],
        summary: "Create a manual tag",
        body: createTagSchema,
        response: { 201: tagViewSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTag(ctx, callerOf(request).orgId, request.body)),
  );
};
