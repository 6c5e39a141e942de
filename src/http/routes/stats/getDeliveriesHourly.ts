import { getHourlyDeliveries } from "../../../domain/stats/series.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { hourlyQuerySchema, hourlySchema } from "./statsSchemas.js";

export type { HourlyDeliveries as GetDeliveriesHourlyResponse } from "./statsSchemas.js";

export const getDeliveriesHourlyRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/stats/deliveries-hourly",
    {
      schema: {
        tags: ["stats"],
        summary:
          "Webhook deliveries finished per UTC hour: succeeded and failed for good, of the org or of one endpoint",
        querystring: hourlyQuerySchema,
        response: { 200: hourlySchema, ...errorResponses },
      },
    },
    async (request) => ({
      hours: await getHourlyDeliveries(
        ctx,
        callerOf(request).orgId,
        request.query.hours,
        request.query.endpointId,
      ),
    }),
  );
};
