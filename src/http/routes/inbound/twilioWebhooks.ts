import formbody from "@fastify/formbody";
import type { RegisterRoute } from "../../types.js";
import { twilioInboundSmsRoute } from "./twilioInboundSms.js";
import { twilioStatusCallbackRoute } from "./twilioStatusCallback.js";

/** Twilio's inbound SMS and status callbacks: form-encoded, signature-checked, not under /v1. */
export const twilioWebhooksRoute: RegisterRoute = (app, deps) => {
  app.register(async (scope) => {
    // Form bodies only here: the rest of the API is JSON.
    await scope.register(formbody);
    twilioInboundSmsRoute(scope, deps);
    twilioStatusCallbackRoute(scope, deps);
  });
};
