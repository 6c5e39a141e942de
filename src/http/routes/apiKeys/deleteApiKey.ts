import { z } from "zod";
import { revokeApiKey } from "../../../domain/orgs/apiKeys.js";
import { errorResponses, messageSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const deleteApiKeyRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/api-keys/:keyId",
    {
      schema: {
        tags: ["api-keys"],
        summary: "Revoke an API key",
        params: z.object({ keyId: z.string() }),
        response: { 200: messageSchema, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request) => {
      await revokeApiKey(ctx, callerOf(request), request.params.keyId);
      return { message: "API key revoked." };
    },
  );
};
