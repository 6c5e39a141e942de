import type { RegisterRoute } from "../../types.js";
import { createSessionRoute } from "./createSession.js";
import { deleteSessionRoute } from "./deleteSession.js";
import { getSessionRoute } from "./getSession.js";

/** Signing in: no credential yet, so these sit outside the auth hook. */
export const signInRoutes: RegisterRoute[] = [createSessionRoute];

export const sessionRoutes: RegisterRoute[] = [getSessionRoute, deleteSessionRoute];
