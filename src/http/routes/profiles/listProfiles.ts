import { z } from "zod";
import { listProfiles } from "../../../domain/profiles/profiles.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { profileViewSchema } from "./profileSchemas.js";

export const listProfilesRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/profiles",
    {
      schema: {
        tags: ["profiles"],
        summary: "List customer profiles",
        response: { 200: z.object({ profiles: z.array(profileViewSchema) }) },
      },
    },
    async (request) => ({ profiles: await listProfiles(ctx, callerOf(request).orgId) }),
  );
};
