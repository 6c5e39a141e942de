import { z } from "zod";
import type { EventType } from "../../../domain/events/catalog.js";
import { sendTestEvent } from "../../../domain/webhooks/sampleEvent.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { attemptViewSchema } from "./deliverySchemas.js";
import { endpointIdParams, eventTypeNameSchema } from "./endpointSchemas.js";

const DEFAULT_TYPE: EventType = "message.sent";

// The body is optional; Fastify gives null for none.
const body = z.strictObject({ eventType: eventTypeNameSchema.default(DEFAULT_TYPE) }).nullish();

export type { AttemptView as TestEndpointResponse } from "./deliverySchemas.js";

export const testEndpointRoute: RegisterRoute = (app, { ctx, webhooks }) => {
  app.post(
    "/webhooks/endpoints/:endpointId/test",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Send a sample event of a chosen type to this endpoint now; returns the attempt",
        params: endpointIdParams,
        body,
        response: { 200: attemptViewSchema, ...errorResponses },
      },
    },
    async (request) =>
      sendTestEvent(
        ctx,
        webhooks,
        callerOf(request).orgId,
        request.params.endpointId,
        request.body?.eventType ?? DEFAULT_TYPE,
      ),
  );
};
