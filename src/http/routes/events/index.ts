import type { RegisterRoute } from "../../types.js";
import { listEventsRoute } from "./listEvents.js";

export const eventsRoutes: RegisterRoute[] = [listEventsRoute];
