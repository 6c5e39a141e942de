import { z } from "zod";
import { createOrg } from "../../../domain/orgs/orgs.js";
import { requireAdmin } from "../../auth.js";
import { errorResponses } from "../../schemas.js";
import type { RegisterRoute } from "../../types.js";

const body = z.strictObject({
  name: z.string().trim().min(1).max(200),
  leadLimit: z.number().int().positive().nullable().optional(),
});

const response = z.object({
  id: z.string(),
  name: z.string(),
  leadLimit: z.number().nullable(),
  createdAt: z.string(),
  apiKey: z.object({ id: z.string(), key: z.string(), prefix: z.string() }),
});
export type CreateOrgResponse = z.output<typeof response>;

/** Admin keys only: a new org and its first key, shown this once. */
export const createOrgRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/orgs",
    {
      schema: {
        tags: ["orgs"],
        summary: "Create an organisation",
        body,
        response: { 201: response, ...errorResponses },
      },
      preHandler: async (request) => requireAdmin(request),
    },
    async (request, reply) => {
      const { org, key, plain } = await createOrg(ctx, {
        name: request.body.name,
        leadLimit: request.body.leadLimit ?? null,
      });
      return reply.status(201).send({ ...org, apiKey: { id: key.id, key: plain, prefix: key.prefix } });
    },
  );
};
