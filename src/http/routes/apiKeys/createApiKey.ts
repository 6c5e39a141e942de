import { z } from "zod";
import { createApiKey } from "../../../domain/orgs/apiKeys.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { apiKeyViewSchema } from "./apiKeySchemas.js";

const body = z.strictObject({
  name: z.string().trim().min(1).max(200),
  isAdmin: z.boolean().default(false),
});

const createdSchema = apiKeyViewSchema.extend({ key: z.string() });
export type CreateApiKeyResponse = z.output<typeof createdSchema>;

export const createApiKeyRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/api-keys",
    {
      schema: {
        tags: ["api-keys"],
        summary: "Create an API key for the caller's organisation (the key is shown once)",
        body,
        response: { 201: createdSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { key, plain } = await createApiKey(ctx, callerOf(request), request.body);
      return reply.status(201).send({ ...key, key: plain });
    },
  );
};
