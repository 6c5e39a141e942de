import { z } from "zod";
import { registerDnc } from "../../../domain/dnc/dnc.js";
import { phoneSchema } from "../../../domain/leads/phone.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const registerDncRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/dnc/register",
    {
      schema: {
        tags: ["dnc"],
        summary: "Add a phone number to the organisation's do-not-contact list (compat, idempotent)",
        body: z.strictObject({ phone: phoneSchema }),
        response: {
          200: z.object({ message: z.literal("Phone number successfully added to DNC list") }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await registerDnc(ctx, callerOf(request).orgId, request.body.phone);
      return { message: "Phone number successfully added to DNC list" as const };
    },
  );
};
