import { createProfileSchema } from "../../../domain/profiles/profileInput.js";
import { createProfile } from "../../../domain/profiles/profiles.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { profileViewSchema } from "./profileSchemas.js";

export type { ProfileView as CreateProfileResponse } from "./profileSchemas.js";

export const createProfileRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/profiles",
    {
      schema: {
        tags: ["profiles"],
        summary: "Create a customer profile",
        body: createProfileSchema,
        response: { 201: profileViewSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createProfile(ctx, callerOf(request).orgId, request.body)),
  );
};
