import { getNotification } from "../../../domain/notifications/notificationRules.js";
import { errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { notificationIdParams, notificationViewSchema } from "./notificationSchemas.js";

export type { NotificationView as GetNotificationResponse } from "./notificationSchemas.js";

export const getNotificationRoute: RegisterRoute = (app, { ctx }) => {
  app.get(
    "/notifications/:notificationId",
    {
      schema: {
        tags: ["notifications"],
        summary: "Get a notification rule",
        params: notificationIdParams,
        response: { 200: notificationViewSchema, ...errorResponses },
      },
    },
    async (request) => getNotification(ctx, callerOf(request).orgId, request.params.notificationId),
  );
};
