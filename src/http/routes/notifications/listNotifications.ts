import { z } from "zod";
import { listNotifications } from "../../../domain/notifications/notificationRules.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { notificationViewSchema } from "./notificationSchemas.js";

export const listNotificationsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "List the organisation's notification rules, by name",
        response: { 200: z.object({ notifications: z.array(notificationViewSchema) }) },
      },
    },
    async (request) => ({ notifications: await listNotifications(ctx, callerOf(request).orgId) }),
  );
};
