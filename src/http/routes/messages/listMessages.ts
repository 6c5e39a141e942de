import { z } from "zod";
import { listMessages } from "../../../domain/messages/listMessages.js";
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
      const rows = await listMessages(ctx, callerOf(request).orgId, request.query);
      return { messages: rows.map(messageItem) };
    },
  );
};
