/**
 * The package entry: what a receiver of Leadwire webhooks imports. It stays free of the server
 * (no database, no Fastify) so that importing it costs nothing but node:crypto.
 */
import type { EventDataByType, EventType } from "./domain/events/catalog.js";

export type { EventDataByType, EventType } from "./domain/events/catalog.js";
export {
  type VerifyWebhookOptions,
  type VerifyWebhookResult,
  verifyWebhook,
  verifyWebhookOrThrow,
  type WebhookHeaders,
  WebhookVerificationError,
} from "./webhooks/verifyWebhook.js";

/** A delivery's JSON body, narrowed by `event`; see the events contract for each payload. */
export type WebhookEnvelope = {
  [T in EventType]: {
    event: T;
    data: EventDataByType[T];
    timestamp: string;
  } & (T extends "lead.additionalInfo.updated" ? { eventId: string } : Record<never, never>);
}[EventType];
