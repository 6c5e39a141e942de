import type { RegisterRoute } from "../../types.js";
import { createProfileRoute } from "./createProfile.js";
import { deleteProfileRoute } from "./deleteProfile.js";
import { getProfileRoute } from "./getProfile.js";
import { listProfilesRoute } from "./listProfiles.js";
import { updateProfileRoute } from "./updateProfile.js";

export const profilesRoutes: RegisterRoute[] = [
  createProfileRoute,
  listProfilesRoute,
  getProfileRoute,
  updateProfileRoute,
  deleteProfileRoute,
];
