import type { z } from "zod";
import { createEndpointSchema } from "../../../domain/webhooks/endpointInput.js";
import { createEndpoint, endpointPolicy } from "../../../domain/webhooks/endpoints.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointViewSchema, secretResponseSchema } from "./endpointSchemas.js";

const createdSchema = endpointViewSchema.extend({ secret: secretResponseSchema });
export type CreateEndpointResponse = z.output<typeof createdSchema>;

export const createEndpointRoute: RegisterRoute = (app, { ctx, config }) => {
  app.post(
    "/webhooks/endpoints",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Create a webhook endpoint (the response is the only time the secret is shown)",
        body: createEndpointSchema,
        response: { 201: createdSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createEndpoint(ctx, callerOf(request).orgId, request.body, endpointPolicy(config))),
  );
};
