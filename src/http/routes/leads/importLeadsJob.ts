import { z } from "zod";
import { getImportJob } from "../../../domain/leads/importJobs.js";
import { errorResponses, limitSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { importJobSchema } from "./importLeadsSchemas.js";

export type { ImportJobView as GetImportJobResponse } from "./importLeadsSchemas.js";

export const importLeadsJobRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/leads/imports/:importId",
    {
      schema: {
        tags: ["leads"],
        summary: "A CSV import's progress and the rows it skipped, with the reasons",
        params: z.object({ importId: z.string().min(1).max(100) }),
        querystring: z.strictObject({
          limit: limitSchema,
          nextToken: z.string().min(1).max(1000).optional(),
        }),
        response: { 200: importJobSchema, ...errorResponses },
      },
    },
    async (request) =>
      getImportJob(ctx, callerOf(request).orgId, request.params.importId, {
        limit: request.query.limit,
        nextToken: request.query.nextToken,
      }),
  );
};
