import type { RegisterRoute } from "../../types.js";
import { getDeliveryRoute } from "./getDelivery.js";
import { listDeliveriesRoute } from "./listDeliveries.js";
import { retryDeliveryRoute } from "./retryDelivery.js";

export const webhookDeliveryRoutes: RegisterRoute[] = [
  listDeliveriesRoute,
  getDeliveryRoute,
  retryDeliveryRoute,
];
