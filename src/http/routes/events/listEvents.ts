import { z } from "zod";
import { EVENT_TYPES, type EventType } from "../../../domain/events/catalog.js";
import { listEvents } from "../../../domain/events/listEvents.js";
import { errorResponses, isoDateTimeSchema, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

function isEventType(name: string): name is EventType {
  return (EVENT_TYPES as readonly string[]).includes(name);
}

/** `type=message.sent,optOut`: a filter naming an event we never emit is a typo, so it is refused. */
const eventTypeList = z
  .string()
  .max(1000)
  .transform((value, ctx) => {
    const names = value
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "");
    const unknown = names.filter((name) => !isEventType(name));
    if (names.length === 0 || unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message:
          names.length === 0
            ? `must name at least one event type: ${EVENT_TYPES.join(", ")}`
            : `unknown event type ${unknown.join(", ")}; expected one of ${EVENT_TYPES.join(", ")}`,
      });
      return z.NEVER;
    }
    return [...new Set(names)];
  });

const querystring = z.strictObject({
  type: eventTypeList.optional(),
  since: isoDateTimeSchema.optional(),
  until: isoDateTimeSchema.optional(),
  leadId: z.string().min(1).max(100).optional(),
  limit: limitSchema,
  nextToken: z.string().min(1).max(1000).optional(),
});

const eventViewSchema = z.object({
  id: z.string(),
  // Not an enum: events of later domains must not break this listing for older stored rows or clients.
  type: z.string(),
  leadId: z.string().nullable(),
  occurredAt: z.string(),
  createdAt: z.string(),
  payload: z.record(z.string(), z.unknown()).describe("The exact webhook body of the event, parsed"),
});

const pageSchema = z.object({ events: z.array(eventViewSchema), nextToken: z.string().nullable() });
export type ListEventsResponse = z.output<typeof pageSchema>;

export const listEventsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/events",
    {
      schema: {
        tags: ["events"],
        summary: "The event log: every event emitted, oldest first, by type, time and lead",
        querystring,
        response: {
          200: pageSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { type, ...rest } = request.query;
      return listEvents(ctx, callerOf(request).orgId, { ...rest, types: type });
    },
  );
};
