import type { RegisterRoute } from "../../types.js";

export const tagsRoutes: RegisterRoute[] = [];
