import { z } from "zod";
import { limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { MESSAGE_STATUSES, messageItem, messageItemSchema } from "./messageView.js";

const listSchema = z.object({ messages: z.array(messageItemSchema) });
export type ListMessagesResponse = z.output<typeof listSchema>;

/** Messages by status or lead, newest first: `?status=unknown` is the reconciliation list. */
export const listMessagesRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/messages",
    {
      schema: {
        tags: ["messages"],
        summary: "List messages (filter by status and lead)",
        querystring: z.strictObject({
          status: z.enum(MESSAGE_STATUSES).optional(),
          leadId: z.string().optional(),
          limit: limitSchema,
        }),
        response: { 200: listSchema },
      },
    },
    async (request) => {
      let query = ctx.db.selectFrom("messages").selectAll().where("org_id", "=", callerOf(request).orgId);
      if (request.query.status) query = query.where("status", "=", request.query.status);
      if (request.query.leadId) query = query.where("lead_id", "=", request.query.leadId);
      const rows = await query
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(request.query.limit)
        .execute();
      return { messages: rows.map(messageItem) };
    },
  );
};
