import { z } from "zod";
import { DomainError } from "../../../domain/errors.js";
import { createSession } from "../../../domain/sessions/sessions.js";
import { errorResponses } from "../../schemas.js";
import { originGuard, setSessionCookie } from "../../sessionCookie.js";
import type { RegisterRoute } from "../../types.js";
import { sessionViewSchema } from "./sessionSchemas.js";

const body = z.strictObject({ apiKey: z.string().min(1).max(512) });

export type { SessionView as CreateSessionResponse } from "./sessionSchemas.js";

/**
 * Signs a browser in: the API key is checked once and never kept; the answer sets the
 * `lw_session` cookie. Registered outside the auth hook, so it needs no `x-api-key`.
 */
export const createSessionRoute: RegisterRoute = (app, { ctx, config }) => {
  const checkOrigin = originGuard(config.publicUrl);
  app.post(
    "/sessions",
    {
      schema: {
        tags: ["sessions"],
        summary: "Sign in with an API key: sets the lw_session cookie (HttpOnly, SameSite=Strict)",
        security: [],
        body,
        response: { 201: sessionViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      // No Origin is fine (curl); another site's Origin is not (it would sign a browser into its key).
      checkOrigin(request, false);
      const session = await createSession(ctx, request.body.apiKey, config.sessionTtlMs);
      // The same answer as the x-api-key hook gives for a bad key.
      if (session === undefined) throw new DomainError("UNAUTHORIZED", "Invalid API key.");
      setSessionCookie(reply, config.publicUrl, session.token, config.sessionTtlMs);
      return reply.status(201).send({ ...session.caller, expiresAt: session.expiresAt });
    },
  );
};
