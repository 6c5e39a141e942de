import { deleteProfile } from "../../../domain/profiles/profiles.js";
import { errorBodySchema, errorResponses, messageSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { profileIdParams } from "./profileSchemas.js";

export const deleteProfileRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/profiles/:profileId",
    {
      schema: {
        tags: ["profiles"],
        summary: "Delete a customer profile that no live lead uses",
        params: profileIdParams,
        response: { 200: messageSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) => {
      await deleteProfile(ctx, callerOf(request).orgId, request.params.profileId);
      return { message: "Profile deleted successfully." };
    },
  );
};
