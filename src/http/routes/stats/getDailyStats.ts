import { getDailyStats } from "../../../domain/stats/series.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { dailyQuerySchema, dailySchema } from "./statsSchemas.js";

export type { DailyStats as GetDailyStatsResponse } from "./statsSchemas.js";

export const getDailyStatsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/stats/daily",
    {
      schema: {
        tags: ["stats"],
        summary: "Messages sent, replies and opt-outs per UTC day",
        querystring: dailyQuerySchema,
        response: { 200: dailySchema, ...errorResponses },
      },
    },
    async (request) => ({
      days: await getDailyStats(ctx, callerOf(request).orgId, request.query.days),
    }),
  );
};
