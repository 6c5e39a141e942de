import type { z } from "zod";
import { updateSettings } from "../../../domain/settings/settings.js";
import {
  publicSettingsSchema,
  redactSettings,
  settingsPatchSchema,
} from "../../../domain/settings/settingsSchema.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";

export type UpdateSettingsResponse = z.output<typeof publicSettingsSchema>;

export const updateSettingsRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/settings",
    {
      schema: {
        tags: ["settings"],
        summary:
          "Update the org's settings: sections merge key by key, arrays and scalars replace, complianceCheck null removes it",
        body: settingsPatchSchema,
        // 409: a sender in senders.sms belongs to another org.
        response: { 200: publicSettingsSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) => redactSettings(await updateSettings(ctx, callerOf(request).orgId, request.body)),
  );
};
