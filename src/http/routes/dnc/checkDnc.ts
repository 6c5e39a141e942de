import { z } from "zod";
import { checkDnc } from "../../../domain/dnc/dnc.js";
import { phoneSchema } from "../../../domain/leads/phone.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const checkDncRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/dnc/:phone",
    {
      schema: {
        tags: ["dnc"],
        summary: "Whether a phone number (URL-encoded, any accepted format) is on the DNC list",
        params: z.object({ phone: phoneSchema }),
        response: {
          200: z.object({ phone: z.string(), onList: z.boolean(), addedAt: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => checkDnc(ctx, callerOf(request).orgId, request.params.phone),
  );
};
