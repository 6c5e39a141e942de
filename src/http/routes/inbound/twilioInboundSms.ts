import { DomainError } from "../../../domain/errors.js";
import { receiveSms, routeInboundSms, senderOwners } from "../../../domain/messages/receiveSms.js";
import { twilioAuthTokensOf, unownedTwilioAuthTokens } from "../../../domain/messages/twilioAuthTokens.js";
import { getSettings } from "../../../domain/settings/settings.js";
import { parseTwilioInbound } from "../../../providers/sms/twilioSignature.js";
import type { RegisterRoute } from "../../types.js";
import { assertSigned, twilioParam, twilioParams, twiml } from "./twilioRequest.js";

/** How long Twilio is asked to wait before retrying a text we could not route. */
const RETRY_AFTER_SECONDS = 60;

/**
 * Twilio's "a message comes in" webhook. The number it was sent to (or the messaging service)
 * names the org; the signature is checked with that org's token; the lead is that org's only.
 * A text that reaches no lead is kept for operators and answered 503 so Twilio tries again,
 * unless it was a STOP or START, which is applied to the phone (see receiveSms.ts).
 */
export const twilioInboundSmsRoute: RegisterRoute = (scope, deps) => {
  scope.post("/inbound/twilio/sms", { schema: { hide: true } }, async (request, reply) => {
    const params = twilioParams(request.body);
    const inbound = parseTwilioInbound(params);
    const service = twilioParam(params, "MessagingServiceSid");
    const orgId = inbound ? await routeInboundSms(senderOwners(deps.ctx), inbound.to, service) : undefined;
    const settings = orgId === undefined ? undefined : await getSettings(deps.ctx, orgId);
    const serverToken = deps.config.twilioInboundAuthToken;
    const tokens =
      settings === undefined
        ? await unownedTwilioAuthTokens(deps.ctx, twilioParam(params, "AccountSid"), serverToken)
        : twilioAuthTokensOf(deps.ctx, settings, serverToken);
    assertSigned(deps, request, params, tokens);
    if (inbound === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio inbound message.");
    const result = await receiveSms(
      deps.ctx,
      { ...inbound, messagingServiceSid: service, params },
      { orgId, settings },
    );
    if (result.outcome === "unrouted") {
      request.log.error(
        {
          reason: result.reason,
          orgId: result.orgId ?? null,
          to: inbound.to,
          messageSid: inbound.messageSid,
        },
        "inbound SMS reached no lead: kept at GET /v1/inbound/unrouted, Twilio asked to retry",
      );
      return twiml(reply.header("retry-after", String(RETRY_AFTER_SECONDS)), 503);
    }
    return twiml(reply);
  });
};
