import type { RegisterRoute } from "../types.js";
import { createApiKeyRoute } from "./apiKeys/createApiKey.js";
import { deleteApiKeyRoute } from "./apiKeys/deleteApiKey.js";
import { listApiKeysRoute } from "./apiKeys/listApiKeys.js";
import { dncRoutes } from "./dnc/index.js";
import { eventsRoutes } from "./events/index.js";
import { inboundEmailRoute } from "./inbound/inboundEmail.js";
import { listUnroutedInboundRoute } from "./inbound/listUnroutedInbound.js";
import { resolveUnroutedInboundRoute } from "./inbound/resolveUnroutedInbound.js";
import { twilioWebhooksRoute } from "./inbound/twilioWebhooks.js";
import { unsubscribeRoute } from "./inbound/unsubscribe.js";
import { leadRoutes } from "./leads/index.js";
import { messageRoutes } from "./messages/index.js";
import { notificationsRoutes } from "./notifications/index.js";
import { createOrgRoute } from "./orgs/createOrg.js";
import { profilesRoutes } from "./profiles/index.js";
import { sessionRoutes, signInRoutes } from "./sessions/index.js";
import { settingsRoutes } from "./settings/index.js";
import { statsRoutes } from "./stats/index.js";
import { healthz, metricsRoute, readyz } from "./system/health.js";
import { tagsRoutes } from "./tags/index.js";
import { usageRoutes } from "./usage/index.js";
import { webhookDeliveryRoutes } from "./webhooks/deliveryRoutes.js";
import { webhookEndpointRoutes } from "./webhooks/index.js";

/** Routes outside `/v1`, without API-key auth. */
export const publicRoutes: RegisterRoute[] = [
  healthz,
  readyz,
  metricsRoute,
  twilioWebhooksRoute,
  inboundEmailRoute,
  unsubscribeRoute,
];

/** `/v1` routes outside the auth hook: signing in, which checks the API key itself. */
export const v1SignInRoutes: RegisterRoute[] = [...signInRoutes];

/** Every other `/v1` route, behind `x-api-key` or a browser session's cookie. */
export const v1Routes: RegisterRoute[] = [
  ...sessionRoutes,
  createOrgRoute,
  createApiKeyRoute,
  listApiKeysRoute,
  deleteApiKeyRoute,
  ...leadRoutes,
  ...messageRoutes,
  listUnroutedInboundRoute,
  resolveUnroutedInboundRoute,
  ...profilesRoutes,
  ...settingsRoutes,
  ...tagsRoutes,
  ...notificationsRoutes,
  ...dncRoutes,
  ...usageRoutes,
  ...statsRoutes,
  ...eventsRoutes,
  ...webhookDeliveryRoutes,
  ...webhookEndpointRoutes,
];
