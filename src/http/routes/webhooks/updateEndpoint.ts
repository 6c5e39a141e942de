import { z } from "zod";
import { updateEndpointSchema } from "../../../domain/webhooks/endpointInput.js";
import { updateEndpoint } from "../../../domain/webhooks/endpoints.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointIdParams, endpointViewSchema } from "./endpointSchemas.js";

const missedSchema = z
  .object({
    since: z.string().describe("When the endpoint was disabled"),
    events: z.number().int().describe("Matching events since then it has not received"),
  })
  .describe("Present when this request re-enabled the endpoint: replay them with POST …/recover");

const updatedSchema = endpointViewSchema.extend({ missed: missedSchema.optional() });
export type UpdateEndpointResponse = z.output<typeof updatedSchema>;

export const updateEndpointRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/webhooks/endpoints/:endpointId",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Update a webhook endpoint (given fields replace stored ones)",
        params: endpointIdParams,
        body: updateEndpointSchema,
        response: { 200: updatedSchema, ...errorResponses },
      },
    },
    async (request) => updateEndpoint(ctx, callerOf(request).orgId, request.params.endpointId, request.body),
  );
};
