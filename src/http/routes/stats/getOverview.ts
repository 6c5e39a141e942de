import { getOverview } from "../../../domain/stats/overview.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { overviewSchema } from "./statsSchemas.js";

export type { Overview as GetOverviewResponse } from "./statsSchemas.js";

export const getOverviewRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/stats/overview",
    {
      schema: {
        tags: ["stats"],
        summary: "The overview's tiles: leads, messages sent, reply rate, opt-outs, webhook success, unknown",
        response: { 200: overviewSchema, ...errorResponses },
      },
    },
    async (request) => getOverview(ctx, callerOf(request).orgId),
  );
};
