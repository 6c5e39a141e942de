import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../../domain/errors.js";
import { loadSettings } from "../../../domain/settings/settings.js";
import { type TwilioParams, verifyTwilioSignature } from "../../../providers/sms/twilioSignature.js";
import type { RouteDeps } from "../../types.js";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** One form parameter's value (a repeated name: its first). */
export function twilioParam(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/** The auth token Twilio signs an org's webhooks with: its own account when it has one, else the server's. */
export async function orgAuthTokens(deps: RouteDeps, orgId: string): Promise<string[]> {
  const own = (await loadSettings(deps.ctx.db, orgId)).twilio;
  const token = own ? deps.ctx.secrets.reveal(own.authToken) : deps.config.twilioInboundAuthToken;
  return token === undefined ? [] : [token];
}

/**
 * The tokens that may have signed a text to a sender no org owns: the server's, and those of the
 * orgs whose own Twilio account (the request's AccountSid) sent it. Only used to authenticate,
 * never to route: the text is kept as unrouted either way.
 */
export async function unownedAuthTokens(deps: RouteDeps, accountSid: string | undefined): Promise<string[]> {
  const server = deps.config.twilioInboundAuthToken;
  const tokens = server === undefined ? [] : [server];
  if (accountSid === undefined || !/^AC[0-9a-f]{32}$/.test(accountSid)) return tokens;
  const candidates = await deps.ctx.db
    .selectFrom("settings")
    .select("org_id")
    // A cheap filter on the stored JSON; each candidate is then read properly.
    .where("data", "like", `%"accountSid":"${accountSid}"%`)
    .execute();
  for (const { org_id } of candidates) {
    const own = (await loadSettings(deps.ctx.db, org_id)).twilio;
    if (own?.accountSid === accountSid) tokens.push(deps.ctx.secrets.reveal(own.authToken));
  }
  return tokens;
}

/**
 * Checks X-Twilio-Signature against PUBLIC_URL + the path Twilio called, before anything is
 * changed: a bad or missing signature is a 403.
 */
export function assertSigned(
  deps: RouteDeps,
  request: FastifyRequest,
  params: TwilioParams,
  tokens: readonly string[],
): void {
  if (tokens.length === 0)
    throw new DomainError(
      "NOT_FOUND",
      "Twilio is not configured: set TWILIO_AUTH_TOKEN, or a Twilio account in the org's settings.",
    );
  const header = request.headers["x-twilio-signature"];
  const signature = Array.isArray(header) ? header[0] : header;
  const url = `${deps.config.publicUrl}${request.url}`;
  if (!tokens.some((token) => verifyTwilioSignature(url, params, token, signature))) {
    throw new DomainError("FORBIDDEN", "Invalid X-Twilio-Signature.");
  }
}

export function twiml(reply: FastifyReply, status = 200): FastifyReply {
  return reply.status(status).header("content-type", "text/xml").send(EMPTY_TWIML);
}
