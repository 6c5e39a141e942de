import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { DB } from "../db/schema.js";
import type { EmailProvider, SmsProvider } from "../domain/messages/providers.js";
import { createDevSink } from "./dev/devSink.js";
import { createSmtpEmailProvider } from "./email/smtpEmail.js";
import { createTwilioSmsProvider } from "./sms/twilioSms.js";

export interface MessageProviders {
  sms: SmsProvider;
  email: EmailProvider;
  close(): Promise<void>;
}

/** One provider per channel from the configuration; the dev sink where none is configured. */
export function createMessageProviders(
  config: Config,
  db: Kysely<DB>,
  now: () => Date,
  logger: Logger,
): MessageProviders {
  const sink = createDevSink(db, now);
  const sms = config.twilio
    ? createTwilioSmsProvider({
        accountSid: config.twilio.accountSid,
        ...(config.twilio.authToken === undefined ? {} : { authToken: config.twilio.authToken }),
        ...(config.twilio.apiKeySid === undefined ? {} : { apiKeySid: config.twilio.apiKeySid }),
        ...(config.twilio.apiKeySecret === undefined ? {} : { apiKeySecret: config.twilio.apiKeySecret }),
        ...(config.twilio.from === undefined ? {} : { from: config.twilio.from }),
        ...(config.twilio.messagingServiceSid === undefined
          ? {}
          : { messagingServiceSid: config.twilio.messagingServiceSid }),
        baseUrl: config.twilio.baseUrl,
        timeoutMs: config.providerTimeoutMs,
      })
    : sink.sms;
  const smtp = config.smtp
    ? createSmtpEmailProvider({
        smtpUrl: config.smtp.url,
        from: config.smtp.from,
        timeoutMs: config.providerTimeoutMs,
      })
    : undefined;
  const email = smtp ?? sink.email;
  for (const [channel, provider] of [
    ["sms", sms],
    ["email", email],
  ] as const) {
    if (provider.name === "dev-sink") {
      logger.warn(
        { channel },
        `no ${channel} provider configured: ${channel} goes to the dev sink (GET /v1/dev/outbox), nothing leaves this machine`,
      );
    } else {
      logger.info({ channel, provider: provider.name }, `${channel} provider configured`);
    }
  }
  return {
    sms,
    email,
    async close() {
      smtp?.close();
      if ("close" in sms && typeof sms.close === "function") await sms.close();
    },
  };
}
