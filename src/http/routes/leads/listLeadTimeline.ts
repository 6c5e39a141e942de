import { z } from "zod";
import { getLead } from "../../../domain/leads/readLeads.js";
import { listTimeline, TIMELINE_TYPES } from "../../../domain/timeline/timeline.js";
import { errorResponses, isoDateTimeSchema, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

const typesSchema = z
  .string()
  .transform((value) => value.split(",").map((s) => s.trim()))
  .pipe(
    z.array(z.enum(TIMELINE_TYPES, { message: `each type must be one of ${TIMELINE_TYPES.join(", ")}` })),
  );

const querystring = z.strictObject({
  since: isoDateTimeSchema,
  types: typesSchema.optional(),
  limit: limitSchema,
  nextToken: z.string().min(1).max(1000).optional(),
});

const entry = z.object({
  id: z.string(),
  roomId: z.string(),
  orgId: z.string(),
  type: z.string(),
  timestamp: z.string(),
  updatedAt: z.string(),
  data: z.unknown(),
});

const pageSchema = z.object({ events: z.array(entry), nextToken: z.string().nullable() });
export type ListLeadTimelineResponse = z.output<typeof pageSchema>;

export const listLeadTimelineRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/leads/:leadId/events",
    {
      schema: {
        tags: ["leads"],
        summary: "The lead's timeline (compat), by updatedAt",
        params: leadIdParams,
        querystring,
        response: {
          200: pageSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { orgId } = callerOf(request);
      // 404 for another org's or an unknown lead, never an empty page that hides the mistake.
      await getLead(ctx, orgId, request.params.leadId);
      return listTimeline(ctx, orgId, request.params.leadId, request.query);
    },
  );
};
