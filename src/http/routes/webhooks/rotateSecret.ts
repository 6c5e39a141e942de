import { z } from "zod";
import { rotateSecret } from "../../../domain/webhooks/endpoints.js";
import { secretSchema } from "../../../domain/webhooks/secrets.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointIdParams, secretResponseSchema } from "./endpointSchemas.js";

// The body is optional (most callers just want a generated secret); Fastify gives null for none.
const body = z.strictObject({ secret: secretSchema.optional() }).nullish();

const rotatedSchema = z.object({ secret: secretResponseSchema, previousSecretExpiresAt: z.string() });
export type RotateSecretResponse = z.output<typeof rotatedSchema>;

export const rotateSecretRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/webhooks/endpoints/:endpointId/rotate-secret",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Replace the signing secret; the old one keeps signing alongside for 24 hours",
        params: endpointIdParams,
        body,
        response: {
          200: rotatedSchema,
          ...errorResponses,
        },
      },
    },
    async (request) =>
      rotateSecret(ctx, callerOf(request).orgId, request.params.endpointId, request.body?.secret),
  );
};
