import type { RegisterRoute } from "../../types.js";
import { checkDncRoute } from "./checkDnc.js";
import { registerDncRoute } from "./registerDnc.js";
import { removeDncRoute } from "./removeDnc.js";

export const dncRoutes: RegisterRoute[] = [registerDncRoute, checkDncRoute, removeDncRoute];
