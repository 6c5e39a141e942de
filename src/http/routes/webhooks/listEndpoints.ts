import { z } from "zod";
import { listEndpoints } from "../../../domain/webhooks/endpoints.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { endpointViewSchema } from "./endpointSchemas.js";

const listSchema = z.object({ endpoints: z.array(endpointViewSchema) });
export type ListEndpointsResponse = z.output<typeof listSchema>;

export const listEndpointsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/webhooks/endpoints",
    {
      schema: {
        tags: ["webhooks"],
        summary: "List webhook endpoints, oldest first",
        response: { 200: listSchema },
      },
    },
    async (request) => ({ endpoints: await listEndpoints(ctx, callerOf(request).orgId) }),
  );
};
