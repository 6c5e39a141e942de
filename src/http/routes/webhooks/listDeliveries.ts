import { z } from "zod";
import { EVENT_TYPES } from "../../../domain/events/catalog.js";
import { listDeliveries } from "../../../domain/webhooks/deliveries.js";
import { errorResponses, isoDateTimeSchema, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { deliveryStatusSchema, deliveryViewSchema } from "./deliverySchemas.js";

/** A filter naming an event we never emit is a typo, so it is refused rather than matching nothing. */
const eventTypeSchema = z.string().refine((name) => (EVENT_TYPES as readonly string[]).includes(name), {
  message: `unknown event type; expected one of ${EVENT_TYPES.join(", ")}`,
});

const querystring = z.strictObject({
  endpointId: z.string().min(1).max(100).optional(),
  eventId: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "must be an event id: 32 lowercase hex characters")
    .optional(),
  eventType: eventTypeSchema.optional(),
  status: deliveryStatusSchema.optional(),
  since: isoDateTimeSchema.optional(),
  until: isoDateTimeSchema.optional(),
  limit: limitSchema,
  nextToken: z.string().min(1).max(1000).optional(),
});

const pageSchema = z.object({ deliveries: z.array(deliveryViewSchema), nextToken: z.string().nullable() });
export type ListDeliveriesResponse = z.output<typeof pageSchema>;

export const listDeliveriesRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/webhooks/deliveries",
    {
      schema: {
        tags: ["webhooks"],
        summary: "The webhook delivery log, newest first, by endpoint, event, status and time",
        querystring,
        response: {
          200: pageSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => listDeliveries(ctx, callerOf(request).orgId, request.query),
  );
};
