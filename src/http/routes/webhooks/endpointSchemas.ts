import { z } from "zod";
import { EVENT_TYPES, type EventType } from "../../../domain/events/catalog.js";

/** One of the event types of the catalogue (events.md). */
export const eventTypeNameSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export const endpointIdParams = z.object({ endpointId: z.string().min(1).max(100) });

export const endpointViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.enum(["manual", "gone", "failing"]).nullable(),
  disabledAt: z.string().nullable(),
  maxConcurrency: z.number().int(),
  rateLimitPerSecond: z.number().int().nullable(),
  secretPrefix: z.string().describe("The first characters of the secret, to tell which one is in use"),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type EndpointView = z.output<typeof endpointViewSchema>;

export const secretResponseSchema = z
  .string()
  .describe("The signing secret in full: shown only now, store it in your receiver");
