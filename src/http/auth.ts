import type { FastifyRequest } from "fastify";
import type { DomainContext } from "../domain/context.js";
import { DomainError } from "../domain/errors.js";
import { authenticate } from "../domain/orgs/apiKeys.js";

/** `x-api-key` auth for every `/v1` route: 403 for a missing or unknown key (the contract). */
export function apiKeyAuth(ctx: DomainContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers["x-api-key"];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || key === "")
      throw new DomainError("UNAUTHORIZED", "Missing API key: send it in x-api-key.");
    const caller = await authenticate(ctx, key);
    if (caller === undefined) throw new DomainError("UNAUTHORIZED", "Invalid API key.");
    request.caller = caller;
  };
}

export function requireAdmin(request: FastifyRequest): void {
  if (request.caller?.isAdmin !== true)
    throw new DomainError("FORBIDDEN", "This operation needs an admin API key.");
}
