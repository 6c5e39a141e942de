import { z } from "zod";
import { removeDnc } from "../../../domain/dnc/dnc.js";
import { phoneSchema } from "../../../domain/leads/phone.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const removeDncRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/dnc/:phone",
    {
      schema: {
        tags: ["dnc"],
        summary: "Take a phone number (URL-encoded, any accepted format) off the DNC list",
        params: z.object({ phone: phoneSchema }),
        response: {
          200: z.object({ message: z.literal("Phone number removed from DNC list") }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await removeDnc(ctx, callerOf(request).orgId, request.params.phone);
      return { message: "Phone number removed from DNC list" as const };
    },
  );
};
