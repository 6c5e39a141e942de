import type { RegisterRoute } from "../../types.js";

export const usageRoutes: RegisterRoute[] = [];
