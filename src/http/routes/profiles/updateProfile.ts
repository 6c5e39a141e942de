import { updateProfileSchema } from "../../../domain/profiles/profileInput.js";
import { updateProfile } from "../../../domain/profiles/profiles.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { profileIdParams, profileViewSchema } from "./profileSchemas.js";

export type { ProfileView as UpdateProfileResponse } from "./profileSchemas.js";

export const updateProfileRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/profiles/:profileId",
    {
      schema: {
        tags: ["profiles"],
        summary: "Update a customer profile (given fields replace stored ones)",
        params: profileIdParams,
        body: updateProfileSchema,
        response: { 200: profileViewSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) => updateProfile(ctx, callerOf(request).orgId, request.params.profileId, request.body),
  );
};
