import { z } from "zod";
import { listApiKeys } from "../../../domain/orgs/apiKeys.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { apiKeyViewSchema } from "./apiKeySchemas.js";

const listSchema = z.object({ apiKeys: z.array(apiKeyViewSchema) });
export type ListApiKeysResponse = z.output<typeof listSchema>;

export const listApiKeysRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/api-keys",
    {
      schema: {
        tags: ["api-keys"],
        summary: "List the organisation's API keys (never the keys themselves)",
        response: { 200: listSchema },
      },
    },
    async (request) => ({ apiKeys: await listApiKeys(ctx, callerOf(request)) }),
  );
};
