import { deleteNotification } from "../../../domain/notifications/notificationRules.js";
import { errorResponses, messageSchema } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { notificationIdParams } from "./notificationSchemas.js";

export const deleteNotificationRoute: RegisterRoute = (app, { ctx }) => {
  app.delete(
    "/notifications/:notificationId",
    {
      schema: {
        tags: ["notifications"],
        summary: "Delete a notification rule",
        params: notificationIdParams,
        response: { 200: messageSchema, ...errorResponses },
      },
    },
    async (request) => {
      await deleteNotification(ctx, callerOf(request).orgId, request.params.notificationId);
      return { message: "Notification deleted successfully." };
    },
  );
};
