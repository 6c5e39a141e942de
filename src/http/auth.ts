import type { FastifyRequest } from "fastify";
import type { DomainContext } from "../domain/context.js";
import { DomainError } from "../domain/errors.js";
import { authenticate } from "../domain/orgs/apiKeys.js";
import { KeyUsage } from "../domain/orgs/keyUsage.js";
import { resolveSession } from "../domain/sessions/sessions.js";
import { originGuard, sessionTokenOf } from "./sessionCookie.js";

/**
 * Auth for every `/v1` route, 403 for a missing or unknown credential (the contract):
 * `x-api-key` whenever the header is present (integrations), else the `lw_session` cookie of a
 * signed-in browser, which acts as its API key. A cookie request that changes state must also
 * come from this server's origin (CSRF); `x-api-key` requests never are checked for that.
 */
export function requestAuth(ctx: DomainContext, publicUrl: string) {
  const checkOrigin = originGuard(publicUrl);
  const usage = new KeyUsage(ctx);
  const recordUse = (request: FastifyRequest, keyId: string) =>
    usage.touch(keyId, (error) =>
      request.log.warn({ err: error }, "could not record the API key's last use"),
    );
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers["x-api-key"];
    if (header !== undefined) {
      const key = Array.isArray(header) ? header[0] : header;
      if (key === undefined || key === "")
        throw new DomainError("UNAUTHORIZED", "Missing API key: send it in x-api-key.");
      const caller = await authenticate(ctx, key);
      if (caller === undefined) throw new DomainError("UNAUTHORIZED", "Invalid API key.");
      request.caller = caller;
      recordUse(request, caller.keyId);
      return;
    }
    const token = sessionTokenOf(request);
    if (token === undefined) throw new DomainError("UNAUTHORIZED", "Missing API key: send it in x-api-key.");
    const session = await resolveSession(ctx, token);
    if (session === undefined)
      throw new DomainError(
        "UNAUTHORIZED",
        "Session expired or signed out: sign in again, or send x-api-key.",
      );
    checkOrigin(request, true);
    request.caller = session.caller;
    recordUse(request, session.caller.keyId);
    request.session = { id: session.sessionId, expiresAt: session.expiresAt };
  };
}

export function requireAdmin(request: FastifyRequest): void {
  if (request.caller?.isAdmin !== true)
    throw new DomainError("FORBIDDEN", "This operation needs an admin API key.");
}
