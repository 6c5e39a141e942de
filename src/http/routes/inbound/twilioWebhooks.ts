import formbody from "@fastify/formbody";
import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../../domain/errors.js";
import { applyDeliveryStatus } from "../../../domain/messages/deliveryStatus.js";
import { receiveSms } from "../../../domain/messages/receiveSms.js";
import {
  parseTwilioInbound,
  parseTwilioStatusCallback,
  type TwilioParams,
  verifyTwilioSignature,
} from "../../../providers/sms/twilioSignature.js";
import type { RegisterRoute, RouteDeps } from "../../types.js";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Checks X-Twilio-Signature against PUBLIC_URL + the path Twilio called, before anything else:
 * a bad or missing signature is a 403 and changes nothing.
 */
function verified(deps: RouteDeps, request: FastifyRequest): TwilioParams {
  const token = deps.config.twilio?.authToken;
  if (token === undefined)
    throw new DomainError("NOT_FOUND", "Twilio is not configured (TWILIO_AUTH_TOKEN).");
  const params = (request.body ?? {}) as TwilioParams;
  const header = request.headers["x-twilio-signature"];
  const url = `${deps.config.publicUrl}${request.url}`;
  if (!verifyTwilioSignature(url, params, token, Array.isArray(header) ? header[0] : header)) {
    throw new DomainError("FORBIDDEN", "Invalid X-Twilio-Signature.");
  }
  return params;
}

function twiml(reply: FastifyReply) {
  return reply.header("content-type", "text/xml").send(EMPTY_TWIML);
}

/** Twilio's inbound SMS and status callbacks (form-encoded, signature-checked, not under /v1). */
export const twilioWebhooksRoute: RegisterRoute = (app, deps) => {
  app.register(async (scope) => {
    await scope.register(formbody);
    scope.post("/inbound/twilio/sms", { schema: { hide: true } }, async (request, reply) => {
      const inbound = parseTwilioInbound(verified(deps, request));
      if (inbound === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio inbound message.");
      const result = await receiveSms(deps.ctx, inbound);
      if (!result.handled)
        request.log.warn({ reason: result.reason, to: inbound.to }, "inbound SMS not matched");
      return twiml(reply);
    });
    scope.post("/inbound/twilio/status", { schema: { hide: true } }, async (request, reply) => {
      const status = parseTwilioStatusCallback(verified(deps, request));
      if (status === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio status callback.");
      await applyDeliveryStatus(deps.ctx, { provider: "twilio", ...status });
      return reply.status(204).send();
    });
  });
};
