import { z } from "zod";
import { listNotifications } from "../../../domain/notifications/notificationRules.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { notificationViewSchema } from "./notificationSchemas.js";

const listSchema = z.object({ notifications: z.array(notificationViewSchema) });
export type ListNotificationsResponse = z.output<typeof listSchema>;

export const listNotificationsRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "List the organisation's notification rules, by name",
        response: { 200: listSchema },
      },
    },
    async (request) => ({ notifications: await listNotifications(ctx, callerOf(request).orgId) }),
  );
};
