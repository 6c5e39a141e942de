import { z } from "zod";
import { listTags } from "../../../domain/tags/tags.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { tagViewSchema } from "./tagSchemas.js";

const listSchema = z.object({ tags: z.array(tagViewSchema) });
export type ListTagsResponse = z.output<typeof listSchema>;

export const listTagsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/tags",
    {
      schema: {
        tags: ["tags"],
        summary: "List the organisation's tags, built-in ones included (compat)",
        response: { 200: listSchema },
      },
    },
    async (request) => ({ tags: await listTags(ctx, callerOf(request).orgId) }),
  );
};
