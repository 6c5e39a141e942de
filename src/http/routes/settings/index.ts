import type { RegisterRoute } from "../../types.js";
import { getSettingsRoute } from "./getSettings.js";
import { updateSettingsRoute } from "./updateSettings.js";

export const settingsRoutes: RegisterRoute[] = [getSettingsRoute, updateSettingsRoute];
