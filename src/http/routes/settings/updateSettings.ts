import { updateSettings } from "../../../domain/settings/settings.js";
import { settingsPatchSchema, settingsSchema } from "../../../domain/settings/settingsSchema.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export const updateSettingsRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/settings",
    {
      schema: {
        tags: ["settings"],
        summary:
          "Update the org's settings: sections merge key by key, arrays and scalars replace, complianceCheck null removes it",
        body: settingsPatchSchema,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => updateSettings(ctx, callerOf(request).orgId, request.body),
  );
};
