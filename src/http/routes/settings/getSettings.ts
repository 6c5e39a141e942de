import type { z } from "zod";
import { getSettings } from "../../../domain/settings/settings.js";
import { publicSettingsSchema, redactSettings } from "../../../domain/settings/settingsSchema.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export type GetSettingsResponse = z.output<typeof publicSettingsSchema>;

export const getSettingsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/settings",
    {
      schema: {
        tags: ["settings"],
        summary: "Get the org's settings (defaults until changed)",
        response: { 200: publicSettingsSchema, ...errorResponses },
      },
    },
    async (request) => redactSettings(await getSettings(ctx, callerOf(request).orgId)),
  );
};
