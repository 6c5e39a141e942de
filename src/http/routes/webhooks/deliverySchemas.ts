import { z } from "zod";

export const deliveryStatusSchema = z.enum(["pending", "succeeded", "failed"]);

export const deliveryViewSchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  // Not an enum: deliveries of event types added later must not break the log for older clients.
  eventType: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().int().describe("How many HTTP attempts were made"),
  nextAttemptAt: z.string().nullable().describe("When the next attempt is due; null once final"),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
});

export type DeliveryView = z.output<typeof deliveryViewSchema>;

export const attemptViewSchema = z.object({
  id: z.string(),
  deliveryId: z.string(),
  attemptedAt: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  responseBody: z.string().nullable().describe("The first 4 KiB of the response body"),
  error: z.string().nullable().describe("The network error, when there was no response"),
  succeeded: z.boolean(),
  requestHeaders: z
    .record(z.string(), z.string())
    .nullable()
    .describe(
      "The headers the request carried, names in lower case: content-type, user-agent, webhook-id, webhook-timestamp, webhook-signature and x-signature-sha256 (signatures are HMACs of the body, not secrets). Null for attempts made before headers were stored",
    ),
});

export type AttemptView = z.output<typeof attemptViewSchema>;

export const deliveryDetailSchema = deliveryViewSchema.extend({
  payload: z.record(z.string(), z.unknown()).describe("The exact webhook body of the event, parsed"),
  attempts: z.array(attemptViewSchema).describe("Every attempt, oldest first"),
});

export type DeliveryDetail = z.output<typeof deliveryDetailSchema>;

export const deliveryIdParams = z.object({ deliveryId: z.string().min(1).max(100) });
