import { z } from "zod";
import { resolveUnknownMessage } from "../../../domain/messages/resolveUnknown.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { messageItem, messageItemSchema } from "./messageView.js";

const body = z
  .strictObject({
    resolution: z.enum(["sent", "failed", "resend"]),
    note: z.string().trim().min(1, "must not be empty").max(1000).optional(),
    /** `sent`: the provider's id for it, when the operator found it there. */
    providerMessageId: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => b.providerMessageId === undefined || b.resolution === "sent", {
    message: "is only for resolution `sent`",
    path: ["providerMessageId"],
  });

export type { MessageItem as ResolveMessageResponse } from "./messageView.js";

/**
 * An operator settles an `unknown` message (one the provider may or may not have taken): `sent`
 * records it like an accepted send, `failed` ends it, `resend` queues it again now. The timeline
 * records the API key that decided.
 */
export const resolveMessageRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/messages/:messageId/resolve",
    {
      schema: {
        tags: ["messages"],
        summary: "Settle an `unknown` message: sent, failed, or resend",
        params: z.object({ messageId: z.string().min(1).max(100) }),
        body,
        response: { 200: messageItemSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const row = await resolveUnknownMessage(ctx, {
        orgId: caller.orgId,
        messageId: request.params.messageId,
        decision: request.body.resolution,
        decidedBy: caller.keyId,
        note: request.body.note,
        providerMessageId: request.body.providerMessageId,
      });
      return messageItem(row);
    },
  );
};
