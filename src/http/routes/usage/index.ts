import type { RegisterRoute } from "../../types.js";
import { getUsageRoute } from "./getUsage.js";

export const usageRoutes: RegisterRoute[] = [getUsageRoute];
