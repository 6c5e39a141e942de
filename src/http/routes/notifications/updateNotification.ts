import { updateNotificationSchema } from "../../../domain/notifications/notificationInput.js";
import { updateNotification } from "../../../domain/notifications/notificationRules.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { notificationIdParams, notificationViewSchema } from "./notificationSchemas.js";

export type { NotificationView as UpdateNotificationResponse } from "./notificationSchemas.js";

export const updateNotificationRoute: RegisterRoute = (app, { ctx }) => {
  app.patch(
    "/notifications/:notificationId",
    {
      schema: {
        tags: ["notifications"],
        summary: "Update a notification rule",
        params: notificationIdParams,
        body: updateNotificationSchema,
        response: { 200: notificationViewSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request) =>
      updateNotification(ctx, callerOf(request).orgId, request.params.notificationId, request.body),
  );
};
