import { z } from "zod";
import { EVENT_TYPES, type EventType } from "../events/catalog.js";
import { secretSchema } from "./secrets.js";

function isEventType(name: string): name is EventType {
  return (EVENT_TYPES as readonly string[]).includes(name);
}

/**
 * `["*"]`, or distinct names of events we emit. A name we never emit is a typo that would
 * silently receive nothing, so it is refused where it stands (`events.<index>`).
 */
export const eventFilterSchema = z
  .array(z.string().max(100))
  .min(1, 'list at least one event name, or ["*"] for every event')
  .max(EVENT_TYPES.length)
  .superRefine((names, ctx) => {
    if (names.includes("*")) {
      if (names.length > 1) ctx.addIssue({ code: "custom", message: '"*" must be the only entry' });
      return;
    }
    names.forEach((name, index) => {
      if (!isEventType(name)) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `unknown event type ${name}; expected "*" or one of ${EVENT_TYPES.join(", ")}`,
        });
      } else if (names.indexOf(name) !== index) {
        ctx.addIssue({ code: "custom", path: [index], message: `${name} is listed twice` });
      }
    });
  });

const fields = {
  // Reachability (SSRF policy) needs DNS and the operator's setting, so the domain checks it.
  url: z.string().trim().min(1).max(2000),
  events: eventFilterSchema,
  description: z.string().max(500).nullable(),
  enabled: z.boolean(),
  maxConcurrency: z.number().int().min(1).max(100),
  rateLimitPerSecond: z.number().int().min(1).max(10_000).nullable(),
};

export const createEndpointSchema = z.strictObject({
  url: fields.url,
  events: fields.events.default(["*"]),
  description: fields.description.optional(),
  secret: secretSchema.optional(),
  enabled: fields.enabled.default(true),
  maxConcurrency: fields.maxConcurrency.optional(),
  rateLimitPerSecond: fields.rateLimitPerSecond.default(null),
});

export const updateEndpointSchema = z.strictObject({
  url: fields.url.optional(),
  events: fields.events.optional(),
  description: fields.description.optional(),
  enabled: fields.enabled.optional(),
  maxConcurrency: fields.maxConcurrency.optional(),
  rateLimitPerSecond: fields.rateLimitPerSecond.optional(),
});

export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;
export type UpdateEndpointInput = z.infer<typeof updateEndpointSchema>;
