import { z } from "zod";
import { markDoNotContact } from "../../../domain/messages/markDoNotContact.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { leadIdParams } from "./leadSchemas.js";

// No body at all is the common call: Fastify hands the validator null/undefined then.
const body = z
  .strictObject({ optOutMessage: z.string().max(1600, "must be at most 1600 characters").optional() })
  .nullish();

export const doNotContactRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/leads/:leadId/doNotContact",
    {
      schema: {
        tags: ["leads"],
        summary:
          "Stop all contact with a lead: doNotContact, one optOut per channel, and the phone on the DNC list",
        params: leadIdParams,
        body,
        response: {
          200: z.object({ message: z.literal("Lead marked as do not contact.") }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const optOutMessage = request.body?.optOutMessage ?? null;
      await markDoNotContact(ctx, callerOf(request).orgId, request.params.leadId, optOutMessage);
      return { message: "Lead marked as do not contact." as const };
    },
  );
};
