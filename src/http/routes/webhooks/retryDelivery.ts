import { z } from "zod";
import { retryDelivery } from "../../../domain/webhooks/deliveries.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { deliveryIdParams, deliveryViewSchema } from "./deliverySchemas.js";

// 202: the send happens in the dispatcher, not in this request.
const queuedSchema = z.object({ message: z.string(), delivery: deliveryViewSchema });
export type RetryDeliveryResponse = z.output<typeof queuedSchema>;

export const retryDeliveryRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/webhooks/deliveries/:deliveryId/retry",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Send a delivery again now, whatever its status (a succeeded one is replayed)",
        params: deliveryIdParams,
        response: {
          202: queuedSchema,
          ...errorResponses,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const delivery = await retryDelivery(ctx, callerOf(request).orgId, request.params.deliveryId);
      return reply.status(202).send({ message: "Delivery queued for retry.", delivery });
    },
  );
};
