import { parseCookie } from "cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../domain/errors.js";

/**
 * The browser session's cookie and the CSRF rule that goes with it. The cookie is HttpOnly (no
 * script reads it), SameSite=Strict (no other site's page sends it) and Secure when the server is
 * reached over https. A state-changing request carried by it must also name this server as its
 * Origin: SameSite alone does not stop a sibling subdomain or an old browser.
 */
export const SESSION_COOKIE = "lw_session";

/** The session token in the request's Cookie header, if any. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined || header === "") return undefined;
  const token = parseCookie(header)[SESSION_COOKIE];
  return token === undefined || token === "" ? undefined : token;
}

function cookieValue(value: string, maxAgeSeconds: number, publicUrl: string): string {
  const secure = publicUrl.startsWith("https:") ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setSessionCookie(reply: FastifyReply, publicUrl: string, token: string, ttlMs: number): void {
  reply.header("set-cookie", cookieValue(token, Math.floor(ttlMs / 1000), publicUrl));
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: string): void {
  reply.header("set-cookie", cookieValue("", 0, publicUrl));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a state-changing request whose Origin is neither PUBLIC_URL's nor the request's own
 * (`protocol://Host`). `required`: a request without Origin is refused too (cookie requests:
 * browsers always send it on such methods); otherwise only a foreign Origin is (sign-in, which
 * non-browser clients may call without one).
 */
export function originGuard(publicUrl: string) {
  const publicOrigin = originOf(publicUrl);
  return (request: FastifyRequest, required: boolean): void => {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin === undefined && !required) return;
    if (origin !== undefined && origin !== "null") {
      if (origin === publicOrigin || origin === originOf(`${request.protocol}://${request.host}`)) return;
    }
    throw new DomainError(
      "FORBIDDEN",
      "Cross-site request refused: the Origin header must be this server's.",
    );
  };
}
