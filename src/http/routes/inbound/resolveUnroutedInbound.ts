import { z } from "zod";
import { resolveUnrouted } from "../../../domain/messages/unroutedInbound.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { unroutedViewSchema } from "./unroutedSchemas.js";

const params = z.strictObject({ messageSid: z.string().min(1).max(100) });

/** An operator has dealt with an unrouted message (idempotent). */
export const resolveUnroutedInboundRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/inbound/unrouted/:messageSid/resolve",
    {
      schema: {
        tags: ["messages"],
        summary: "Mark an unrouted inbound message as dealt with",
        params,
        response: { 200: unroutedViewSchema, ...errorResponses },
      },
    },
    async (request) => resolveUnrouted(ctx, callerOf(request), request.params.messageSid),
  );
};
