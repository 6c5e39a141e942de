import { z } from "zod";
import { createLead } from "../../../domain/leads/createLead.js";
import { createLeadSchema } from "../../../domain/leads/leadInput.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

const createdSchema = z.object({ message: z.literal("Lead created successfully."), id: z.string() });
export type CreateLeadResponse = z.output<typeof createdSchema>;

export const createLeadRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/leads/create",
    {
      schema: {
        tags: ["leads"],
        summary: "Create a lead (compat)",
        body: createLeadSchema,
        response: {
          200: createdSchema,
          ...errorResponses,
          409: errorBodySchema.extend({ id: z.string() }),
        },
      },
    },
    async (request) => {
      const { id } = await createLead(ctx, callerOf(request).orgId, request.body);
      return { message: "Lead created successfully." as const, id };
    },
  );
};
