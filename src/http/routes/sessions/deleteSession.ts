import { revokeSession } from "../../../domain/sessions/sessions.js";
import { errorResponses, messageSchema } from "../../schemas.js";
import { clearSessionCookie, sessionTokenOf } from "../../sessionCookie.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const deleteSessionRoute: RegisterRoute = (app, { ctx, config }) => {
  app.delete(
    "/sessions/current",
    {
      schema: {
        tags: ["sessions"],
        summary: "Sign out: revokes the cookie's session and clears the cookie",
        response: { 200: messageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      // With x-api-key a cookie may still ride along: it is signed out too.
      const token = sessionTokenOf(request);
      if (token !== undefined) await revokeSession(ctx, caller, token);
      clearSessionCookie(reply, config.publicUrl);
      return { message: "Signed out." };
    },
  );
};
