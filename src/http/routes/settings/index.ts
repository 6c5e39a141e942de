import type { RegisterRoute } from "../../types.js";

export const settingsRoutes: RegisterRoute[] = [];
