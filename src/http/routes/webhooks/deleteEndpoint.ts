import { deleteEndpoint } from "../../../domain/webhooks/endpoints.js";
import { errorResponses, messageSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointIdParams } from "./endpointSchemas.js";

export const deleteEndpointRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/webhooks/endpoints/:endpointId",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Delete a webhook endpoint with its deliveries and attempts",
        params: endpointIdParams,
        response: { 200: messageSchema, ...errorResponses },
      },
    },
    async (request) => {
      await deleteEndpoint(ctx, callerOf(request).orgId, request.params.endpointId);
      return { message: "Webhook endpoint deleted." };
    },
  );
};
