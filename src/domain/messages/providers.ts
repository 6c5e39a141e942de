/**
 * The outside world for messages. One implementation per provider (providers/sms, providers/email)
 * plus a dev sink; the domain knows only these shapes.
 */

/** How a send ended, classified where the error is born. */
export type SendOutcome =
  /** The provider accepted the message. */
  | { kind: "accepted"; providerMessageId: string; status?: string }
  /** The provider refused it for good (bad number, opted out, …); never retry. */
  | { kind: "rejected"; code: string; message: string; optedOut: boolean }
  /** The provider surely did not take it (connection refused, 429, 5xx before acceptance): safe to retry. */
  | { kind: "retryable"; code: string; message: string; retryAfterMs?: number }
  /** We cannot know whether the provider took it (timeout after sending): never resend blindly. */
  | { kind: "unknown"; message: string };

/** Which of our messages this is: lets a sink or a log tie the send back to it. */
export interface MessageReference {
  orgId: string;
  messageId: string;
}

export interface SmsMessage {
  reference?: MessageReference | undefined;
  to: string;
  body: string;
  /** Where the provider should POST status updates for this message. */
  statusCallbackUrl: string;
  /** Per-org sender override; else the provider's configured sender. */
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
}

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SendOutcome>;
  /** Finds messages the provider holds like this one (reconciling `unknown`); absent: it cannot. */
  lookup?(query: SentMessageQuery): Promise<SentLookup>;
}

/** One of our messages whose send may or may not have reached the provider. */
export interface SentMessageQuery {
  reference: MessageReference;
  to: string;
  /** The text as we sent it (SMS body, or email text). */
  body: string;
  /** The sender the send would have used (the org's override); else the provider's default. */
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** Only messages sent within this window (wide enough for clock skew and provider queues). */
  sentAfter: Date;
  sentBefore: Date;
}

/** A provider's message that matches the query: to the same address, with the same text. */
export interface SentMatch {
  providerMessageId: string;
  /** The provider's status for it (e.g. Twilio's `delivered`), when it says. */
  status?: string | undefined;
}

export type SentLookup =
  /** The provider answered for the whole window: these are all its matches (maybe none). */
  | { kind: "answered"; matches: SentMatch[] }
  /** We could not ask, or not completely (network, 5xx, 429, too many pages): try again later. */
  | { kind: "failed"; message: string };

export interface EmailMessage {
  reference?: MessageReference | undefined;
  to: string;
  subject: string;
  text: string;
  /** Replies are routed back through inbound email. */
  replyTo: string | undefined;
  /**
   * RFC 8058 one-click unsubscribe URL, also linked in the body; undefined only for mail to the
   * org's own people (notification emails), which is not marketing to a lead.
   */
  unsubscribeUrl: string | undefined;
  from?: string | undefined;
}

export interface EmailProvider {
  readonly name: string;
  send(message: EmailMessage): Promise<SendOutcome>;
  /** As for SMS; SMTP has nothing to ask, so only the dev sink has one. */
  lookup?(query: SentMessageQuery): Promise<SentLookup>;
}
