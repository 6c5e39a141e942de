import { z } from "zod";
import { listUnrouted } from "../../../domain/messages/unroutedInbound.js";
import { errorResponses, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { unroutedViewSchema } from "./unroutedSchemas.js";

const querystring = z.strictObject({
  resolved: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
  limit: limitSchema,
  nextToken: z.string().min(1).max(1000).optional(),
});

const pageSchema = z.object({ messages: z.array(unroutedViewSchema), nextToken: z.string().nullable() });
export type ListUnroutedInboundResponse = z.output<typeof pageSchema>;

/** Inbound texts that reached no lead, newest first: admin keys see all, other keys their org's. */
export const listUnroutedInboundRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/inbound/unrouted",
    {
      schema: {
        tags: ["messages"],
        summary:
          "Inbound messages that reached no lead (no org owns the number, or no lead has the phone), newest first",
        querystring,
        response: {
          200: pageSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => listUnrouted(ctx, callerOf(request), request.query),
  );
};
