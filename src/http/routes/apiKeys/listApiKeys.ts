import { z } from "zod";
import { listApiKeys } from "../../../domain/orgs/apiKeys.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { apiKeyViewSchema } from "./apiKeySchemas.js";

export const listApiKeysRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/api-keys",
    {
      schema: {
        tags: ["api-keys"],
        summary: "List the organisation's API keys (never the keys themselves)",
        response: { 200: z.object({ apiKeys: z.array(apiKeyViewSchema) }) },
      },
    },
    async (request) => ({ apiKeys: await listApiKeys(ctx, callerOf(request)) }),
  );
};
