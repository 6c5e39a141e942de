import { getDelivery } from "../../../domain/webhooks/deliveries.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { deliveryDetailSchema, deliveryIdParams } from "./deliverySchemas.js";

export type { DeliveryDetail as GetDeliveryResponse } from "./deliverySchemas.js";

export const getDeliveryRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/webhooks/deliveries/:deliveryId",
    {
      schema: {
        tags: ["webhooks"],
        summary: "A webhook delivery with its payload and every attempt",
        params: deliveryIdParams,
        response: { 200: deliveryDetailSchema, ...errorResponses },
      },
    },
    async (request) => getDelivery(ctx, callerOf(request).orgId, request.params.deliveryId),
  );
};
