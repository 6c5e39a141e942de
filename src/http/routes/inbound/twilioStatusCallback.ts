import { DomainError } from "../../../domain/errors.js";
import { applyDeliveryStatus } from "../../../domain/messages/deliveryStatus.js";
import { parseTwilioStatusCallback, type TwilioParams } from "../../../providers/sms/twilioSignature.js";
import type { RegisterRoute } from "../../types.js";
import { assertSigned, orgAuthTokens } from "./twilioRequest.js";

/** Twilio's status callback for a message we sent: checked with the sending org's token. */
export const twilioStatusCallbackRoute: RegisterRoute = (scope, deps) => {
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
    const serverToken = deps.config.twilioInboundAuthToken;
    const tokens =
      message === undefined
        ? serverToken === undefined
          ? []
          : [serverToken]
        : await orgAuthTokens(deps, message.org_id);
    assertSigned(deps, request, params, tokens);
    if (status === undefined) throw new DomainError("VALIDATION_FAILED", "Not a Twilio status callback.");
    await applyDeliveryStatus(deps.ctx, { provider: "twilio", ...status });
    return reply.status(204).send();
  });
};
