import { getEndpoint } from "../../../domain/webhooks/endpoints.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointIdParams, endpointViewSchema } from "./endpointSchemas.js";

export type { EndpointView as GetEndpointResponse } from "./endpointSchemas.js";

export const getEndpointRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/webhooks/endpoints/:endpointId",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Get a webhook endpoint",
        params: endpointIdParams,
        response: { 200: endpointViewSchema, ...errorResponses },
      },
    },
    async (request) => getEndpoint(ctx, callerOf(request).orgId, request.params.endpointId),
  );
};
