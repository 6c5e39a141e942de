import { z } from "zod";
import { limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

const STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "blocked",
  "unknown",
  "received",
] as const;

const item = z.object({
  id: z.string(),
  leadId: z.string(),
  channel: z.enum(["sms", "email"]),
  direction: z.enum(["outbound", "inbound"]),
  status: z.enum(STATUSES),
  text: z.string(),
  subject: z.string().nullable(),
  segments: z.number().nullable(),
  followUpStep: z.number().nullable(),
  dueAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  blockedReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Messages by status or lead, newest first: `?status=unknown` is the reconciliation list. */
export const listMessagesRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/messages",
    {
      schema: {
        tags: ["messages"],
        summary: "List messages (filter by status and lead)",
        querystring: z.strictObject({
          status: z.enum(STATUSES).optional(),
          leadId: z.string().optional(),
          limit: limitSchema,
        }),
        response: { 200: z.object({ messages: z.array(item) }) },
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
      return {
        messages: rows.map((r) => ({
          id: r.id,
          leadId: r.lead_id,
          channel: r.channel,
          direction: r.direction,
          status: r.status,
          text: r.text,
          subject: r.subject,
          segments: r.segments,
          followUpStep: r.follow_up_step,
          dueAt: r.due_at,
          sentAt: r.sent_at,
          provider: r.provider,
          providerMessageId: r.provider_message_id,
          errorCode: r.error_code,
          errorMessage: r.error_message,
          blockedReason: r.blocked_reason,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      };
    },
  );
};
