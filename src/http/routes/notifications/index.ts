import type { RegisterRoute } from "../../types.js";
import { createNotificationRoute } from "./createNotification.js";
import { deleteNotificationRoute } from "./deleteNotification.js";
import { getNotificationRoute } from "./getNotification.js";
import { listNotificationsRoute } from "./listNotifications.js";
import { updateNotificationRoute } from "./updateNotification.js";

export const notificationsRoutes: RegisterRoute[] = [
  listNotificationsRoute,
  createNotificationRoute,
  getNotificationRoute,
  updateNotificationRoute,
  deleteNotificationRoute,
];
