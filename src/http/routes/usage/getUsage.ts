import { z } from "zod";
import { getUsage } from "../../../domain/usage/usage.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const getUsageRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/usage",
    {
      schema: {
        tags: ["usage"],
        summary: "Live leads against the organisation's limit (compat); limit null when unlimited",
        response: {
          200: z.object({
            leads: z.object({ current: z.number().int(), limit: z.number().int().nullable() }),
          }),
        },
      },
    },
    async (request) => getUsage(ctx, callerOf(request).orgId),
  );
};
