import type { RegisterRoute } from "../../types.js";

export const eventsRoutes: RegisterRoute[] = [];
