/**
 * The root package's entry (the root package is private: receivers install packages/webhooks,
 * `@leadwire/webhooks`, instead). It re-exports that package's verifier, with the event types a
 * receiver may want, and stays free of the server (no database, no Fastify).
 */
import type { EventDataByType, EventType } from "./domain/events/catalog.js";

export {
  type HeadersLike,
  type VerifyWebhookOptions,
  type VerifyWebhookResult,
  verifyWebhook,
  verifyWebhookOrThrow,
  type WebhookHeaders,
  WebhookVerificationError,
} from "../packages/webhooks/index.js";
export type { EventDataByType, EventType } from "./domain/events/catalog.js";

/** A delivery's JSON body, narrowed by `event`; see the events contract for each payload. */
export type WebhookEnvelope = {
  [T in EventType]: {
    event: T;
    data: EventDataByType[T];
    timestamp: string;
  } & (T extends "lead.additionalInfo.updated" ? { eventId: string } : Record<never, never>);
}[EventType];
