import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { sessionViewSchema } from "./sessionSchemas.js";

export type { SessionView as GetSessionResponse } from "./sessionSchemas.js";

export const getSessionRoute: RegisterRoute = (app) => {
  app.get(
    "/sessions/current",
    {
      schema: {
        tags: ["sessions"],
        summary: "Who is calling: the session's (or the x-api-key's) org and key",
        response: { 200: sessionViewSchema, ...errorResponses },
      },
    },
    async (request) => ({ ...callerOf(request), expiresAt: request.session?.expiresAt ?? null }),
  );
};
