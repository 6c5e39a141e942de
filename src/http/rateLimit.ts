import rateLimit from "@fastify/rate-limit";
import { DomainError } from "../domain/errors.js";
import type { ZodApp } from "./types.js";

/**
 * Requests per API key per minute (`API_RATE_LIMIT_PER_MINUTE`; 0 turns it off), for the routes
 * of the scope it is registered in. It runs after authentication, so the bucket is the caller's
 * key and a rejected key never reaches it. Past the limit: 429 in our error body, with
 * `Retry-After`; every answer carries `x-ratelimit-limit`, `-remaining` and `-reset`. The counts
 * live in each API process (with several processes a key's allowance is per process).
 */
export async function registerRateLimit(scope: ZodApp, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await scope.register(rateLimit, {
    global: true,
    hook: "preHandler",
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.caller?.keyId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        "RATE_LIMITED",
        `Too many requests for this API key: the limit is ${context.max} per minute; retry after ${Math.ceil(context.ttl / 1000)} s.`,
      ),
  });
}
