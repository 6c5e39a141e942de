import { createNotificationSchema } from "../../../domain/notifications/notificationInput.js";
import { createNotification } from "../../../domain/notifications/notificationRules.js";
import { errorBodySchema, errorResponses } from "../../schemas.js";
import { callerOf, type RegisterRoute } from "../../types.js";
import { notificationViewSchema } from "./notificationSchemas.js";

export type { NotificationView as CreateNotificationResponse } from "./notificationSchemas.js";

export const createNotificationRoute: RegisterRoute = (app, { ctx }) => {
  app.post(
    "/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "Create a notification rule",
        body: createNotificationSchema,
        response: { 201: notificationViewSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createNotification(ctx, callerOf(request).orgId, request.body)),
  );
};
