import { getProfile } from "../../../domain/profiles/profiles.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { profileIdParams, profileViewSchema } from "./profileSchemas.js";

export type { ProfileView as GetProfileResponse } from "./profileSchemas.js";

export const getProfileRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/profiles/:profileId",
    {
      schema: {
        tags: ["profiles"],
        summary: "Get a customer profile",
        params: profileIdParams,
        response: { 200: profileViewSchema, ...errorResponses },
      },
    },
    async (request) => getProfile(ctx, callerOf(request).orgId, request.params.profileId),
  );
};
