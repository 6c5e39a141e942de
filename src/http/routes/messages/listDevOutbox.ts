import { z } from "zod";
import { devOutboxHeaders } from "../../../domain/jsonColumns.js";
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
    async (request) => {
      const rows = await ctx.db
        .selectFrom("dev_outbox")
        .selectAll()
        .where("org_id", "=", callerOf(request).orgId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(request.query.limit)
        .execute();
      return {
        messages: rows.map((r) => ({
          id: r.id,
          messageId: r.message_id,
          channel: r.channel,
          to: r.to,
          subject: r.subject,
          body: r.body,
          headers: devOutboxHeaders.readNullable(r.headers, r.id),
          createdAt: r.created_at,
        })),
      };
    },
  );
};
