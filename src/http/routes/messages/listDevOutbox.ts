import { z } from "zod";
import { listDevOutbox } from "../../../domain/messages/listDevOutbox.js";
import { limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

const item = z.object({
  id: z.string(),
  messageId: z.string().nullable(),
  channel: z.enum(["sms", "email"]),
  to: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  headers: z.record(z.string(), z.string()).nullable(),
  createdAt: z.string(),
});

const outboxSchema = z.object({ messages: z.array(item) });
export type ListDevOutboxResponse = z.output<typeof outboxSchema>;

/** What the dev sink "sent" for this org, newest first: the quick start's window on messaging. */
export const listDevOutboxRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/dev/outbox",
    {
      schema: {
        tags: ["messages"],
        summary: "Messages recorded by the dev sink (no provider configured)",
        querystring: z.strictObject({ limit: limitSchema }),
        response: { 200: outboxSchema },
      },
    },
    async (request) => ({ messages: await listDevOutbox(ctx, callerOf(request).orgId, request.query.limit) }),
  );
};
