import { z } from "zod";
import { getInboundToken } from "../../../domain/orgs/inboundToken.js";
import { callerOf, type RegisterRoute } from "../../types.js";

const addressesSchema = z.object({
  twilioSms: z.string(),
  twilioStatus: z.string(),
  email: z.string(),
  emailEvents: z.string(),
});
export type GetInboundAddressesResponse = z.output<typeof addressesSchema>;

/** Where providers and mail pipelines should POST for this org (the inbound token is a secret). */
export const getInboundAddressesRoute: RegisterRoute = (app, { ctx, config }) => {
  app.get(
    "/inbound-addresses",
    {
      schema: {
        tags: ["messages"],
        summary: "URLs to configure in Twilio and in your inbound-email pipeline",
        response: { 200: addressesSchema },
      },
    },
    async (request) => {
      const token = await getInboundToken(ctx, callerOf(request).orgId);
      const base = config.publicUrl;
      return {
        twilioSms: `${base}/inbound/twilio/sms`,
        twilioStatus: `${base}/inbound/twilio/status`,
        email: `${base}/inbound/email/${token}`,
        emailEvents: `${base}/inbound/email/${token}/events`,
      };
    },
  );
};
