import { z } from "zod";
import { listProfiles } from "../../../domain/profiles/profiles.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { profileViewSchema } from "./profileSchemas.js";

const listSchema = z.object({ profiles: z.array(profileViewSchema) });
export type ListProfilesResponse = z.output<typeof listSchema>;

export const listProfilesRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/profiles",
    {
      schema: {
        tags: ["profiles"],
        summary: "List customer profiles",
        response: { 200: listSchema },
      },
    },
    async (request) => ({ profiles: await listProfiles(ctx, callerOf(request).orgId) }),
  );
};
