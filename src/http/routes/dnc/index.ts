import type { RegisterRoute } from "../../types.js";

export const dncRoutes: RegisterRoute[] = [];
