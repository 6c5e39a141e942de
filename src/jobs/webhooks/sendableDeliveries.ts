import type { Tx } from "../../domain/context.js";

/** Deliveries joined with what sending needs: the endpoint's URL and secrets, the event body. */
export function sendableDeliveries(db: Tx) {
  return db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .innerJoin("events as ev", "ev.id", "d.event_id")
    .select([
      "d.id as id",
      "d.org_id as orgId",
      "d.endpoint_id as endpointId",
      "d.event_id as eventId",
      "d.attempts as attempts",
      "e.url as url",
      "e.secret as secret",
      "e.previous_secret as previousSecret",
      "e.previous_secret_expires_at as previousSecretExpiresAt",
      "e.max_concurrency as maxConcurrency",
      "e.rate_limit_per_second as rateLimitPerSecond",
      "ev.body as body",
      "ev.is_test as isTest",
    ]);
}

export type SendableDelivery = Awaited<
  ReturnType<ReturnType<typeof sendableDeliveries>["executeTakeFirstOrThrow"]>
>;
