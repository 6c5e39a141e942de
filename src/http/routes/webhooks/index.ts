import type { RegisterRoute } from "../../types.js";
import { createEndpointRoute } from "./createEndpoint.js";
import { deleteEndpointRoute } from "./deleteEndpoint.js";
import { getEndpointRoute } from "./getEndpoint.js";
import { listEndpointsRoute } from "./listEndpoints.js";
import { listEventTypesRoute } from "./listEventTypes.js";
import { recoverEndpointRoute } from "./recoverEndpoint.js";
import { rotateSecretRoute } from "./rotateSecret.js";
import { testEndpointRoute } from "./testEndpoint.js";
import { updateEndpointRoute } from "./updateEndpoint.js";

export const webhookEndpointRoutes: RegisterRoute[] = [
  createEndpointRoute,
  listEndpointsRoute,
  getEndpointRoute,
  updateEndpointRoute,
  deleteEndpointRoute,
  rotateSecretRoute,
  testEndpointRoute,
  recoverEndpointRoute,
  listEventTypesRoute,
];
