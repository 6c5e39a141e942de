import formbody from "@fastify/formbody";
import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../../domain/errors.js";
import { applyDeliveryStatus } from "../../../domain/messages/deliveryStatus.js";
import { receiveSms, resolveInboundOrg } from "../../../domain/messages/receiveSms.js";
import { loadSettings } from "../../../domain/settings/settings.js";
import {
  parseTwilioInbound,
  parseTwilioStatusCallback,
  type TwilioParams,
  verifyTwilioSignature,
} from "../../../providers/sms/twilioSignature.js";
import type { RegisterRoute, RouteDeps } from "../../types.js";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The auth token Twilio signs with: the org's own account when it has one, else the server's. */
async function authTokenFor(deps: RouteDeps, orgId: string | undefined): Promise<string> {
  const own = orgId === undefined ? null : (await loadSettings(deps.ctx.db, orgId)).twilio;
  const token = own ? deps.ctx.secrets.reveal(own.authToken) : deps.config.twilio?.authToken;
  if (token === undefined)
    throw new DomainError("NOT_FOUND", "Twilio is not configured (TWILIO_AUTH_TOKEN).");
  return token;
}

/**
 * Checks X-Twilio-Signature against PUBLIC_URL + the path Twilio called, before anything is
 * changed: a bad or missing signature is a 403.
 */
function assertSigned(deps: RouteDeps, request: FastifyRequest, params: TwilioParams, token: string): void {
  const header = request.headers["x-twilio-signature"];
  const url = `${deps.config.publicUrl}${request.url}`;
  if (!verifyTwilioSignature(url, params, token, Array.isArray(header) ? header[0] : header)) {
    throw new DomainError("FORBIDDEN", "Invalid X-Twilio-Signature.");
  }
}

function twiml(reply: FastifyReply) {
  return reply.header("content-type", "text/xml").send(EMPTY_TWIML);
}

/** Twilio's inbound SMS and status callbacks (form-encoded, signature-checked, not under /v1). */
export const twilioWebhooksRoute: RegisterRoute = (app, deps) => {
  app.register(async (scope) => {
    await scope.register(formbody);
    scope.post("/inbound/twilio/sms", { schema: { hide: true } }, async (request, reply) => {
      const params = (request.body ?? {}) as TwilioParams;
      const inbound = parseTwilioInbound(params);
      const orgId = inbound ? await resolveInboundOrg(deps.ctx.db, inbound.to, inbound.from) : undefined;
      assertSigned(deps, request, params, await authTokenFor(deps, orgId));
      if (inbound === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio inbound message.");
      const result = await receiveSms(deps.ctx, inbound);
      if (!result.handled)
        request.log.warn({ reason: result.reason, to: inbound.to }, "inbound SMS not matched");
      return twiml(reply);
    });
    scope.post("/inbound/twilio/status", { schema: { hide: true } }, async (request, reply) => {
      const params = (request.body ?? {}) as TwilioParams;
      const status = parseTwilioStatusCallback(params);
      const message = status
        ? await deps.ctx.db
            .selectFrom("messages")
            .select("org_id")
            .where("provider", "=", "twilio")
            .where("provider_message_id", "=", status.providerMessageId)
            .executeTakeFirst()
        : undefined;
      assertSigned(deps, request, params, await authTokenFor(deps, message?.org_id));
      if (status === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio status callback.");
      await applyDeliveryStatus(deps.ctx, { provider: "twilio", ...status });
      return reply.status(204).send();
    });
  });
};
