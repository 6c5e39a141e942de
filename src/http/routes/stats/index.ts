import type { RegisterRoute } from "../../types.js";
import { getDailyStatsRoute } from "./getDailyStats.js";
import { getDeliveriesHourlyRoute } from "./getDeliveriesHourly.js";
import { getOverviewRoute } from "./getOverview.js";

export const statsRoutes: RegisterRoute[] = [getOverviewRoute, getDailyStatsRoute, getDeliveriesHourlyRoute];
