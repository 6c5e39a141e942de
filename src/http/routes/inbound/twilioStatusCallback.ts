import { DomainError } from "../../../domain/errors.js";
import { applyDeliveryStatus } from "../../../domain/messages/deliveryStatus.js";
import { statusCallbackAuthTokens } from "../../../domain/messages/twilioAuthTokens.js";
import { parseTwilioStatusCallback } from "../../../providers/sms/twilioSignature.js";
import type { RegisterRoute } from "../../types.js";
import { assertSigned, twilioParams } from "./twilioRequest.js";

/** Twilio's status callback for a message we sent: checked with the sending org's token. */
export const twilioStatusCallbackRoute: RegisterRoute = (scope, deps) => {
  scope.post("/inbound/twilio/status", { schema: { hide: true } }, async (request, reply) => {
    const params = twilioParams(request.body);
    const status = parseTwilioStatusCallback(params);
    const tokens = await statusCallbackAuthTokens(
      deps.ctx,
      status?.providerMessageId,
      deps.config.twilioInboundAuthToken,
    );
    assertSigned(deps, request, params, tokens);
    if (status === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio status callback.");
    await applyDeliveryStatus(deps.ctx, { provider: "twilio", ...status });
    return reply.status(204).send();
  });
};
