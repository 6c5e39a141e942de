import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { DB } from "../db/schema.js";
import type { EmailProvider, SmsProvider } from "../domain/messages/providers.js";
import type { SecretBox } from "../secretBox.js";
import { createDevSink } from "./dev/devSink.js";
import { createSmtpEmailProvider } from "./email/smtpEmail.js";
import { createTwilioSmsProvider } from "./sms/twilioSms.js";

export interface MessageProviders {
  sms: SmsProvider;
  /** The SMS provider for an org: its own Twilio account when its settings have one, else `sms`. */
  smsFor(account: { accountSid: string; authToken: string } | null): SmsProvider;
  email: EmailProvider;
  close(): Promise<void>;
}

/** One provider per channel from the configuration; the dev sink where none is configured. */
export function createMessageProviders(
  config: Config,
  db: Kysely<DB>,
  now: () => Date,
  logger: Logger,
  secrets: SecretBox,
): MessageProviders {
  const sink = createDevSink(db, now, logger);
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
  const perOrg = new Map<string, ReturnType<typeof createTwilioSmsProvider>>();
  const smsFor = (account: { accountSid: string; authToken: string } | null): SmsProvider => {
    if (account === null) return sms;
    // Keyed by the stored value (sealed or not): it changes whenever the token does.
    const key = `${account.accountSid}:${createHash("sha256").update(account.authToken).digest("hex")}`;
    let provider = perOrg.get(key);
    if (provider === undefined) {
      provider = createTwilioSmsProvider({
        accountSid: account.accountSid,
        authToken: secrets.reveal(account.authToken),
        ...(config.twilio?.from === undefined ? {} : { from: config.twilio.from }),
        baseUrl: config.twilio?.baseUrl ?? config.twilioApiBaseUrl,
        timeoutMs: config.providerTimeoutMs,
      });
      perOrg.set(key, provider);
    }
    return provider;
  };
  return {
    sms,
    smsFor,
    email,
    async close() {
      smtp?.close();
      if ("close" in sms && typeof sms.close === "function") await sms.close();
      for (const provider of perOrg.values()) await provider.close();
    },
  };
}
