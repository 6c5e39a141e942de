import { z } from "zod";
import { recoverEndpoint } from "../../../domain/webhooks/recover.js";
import { errorBodySchema, errorResponses, isoDateTimeSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointIdParams } from "./endpointSchemas.js";

const body = z.strictObject({
  since: isoDateTimeSchema.describe("Replay events stored at or after this time"),
  until: isoDateTimeSchema.optional().describe("…and before this time (default: now)"),
});

const recoveredSchema = z.object({ recovered: z.number().int().describe("Deliveries made pending") });
export type RecoverEndpointResponse = z.output<typeof recoveredSchema>;

export const recoverEndpointRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/webhooks/endpoints/:endpointId/recover",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Replay every failed or missed delivery of the endpoint in a time window",
        params: endpointIdParams,
        body,
        response: {
          200: recoveredSchema,
          ...errorResponses,
          409: errorBodySchema,
        },
      },
    },
    async (request) => recoverEndpoint(ctx, callerOf(request).orgId, request.params.endpointId, request.body),
  );
};
