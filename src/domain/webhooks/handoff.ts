import type { Selectable } from "kysely";
import { z } from "zod";
import type { WebhookEndpointsTable } from "../../db/schema.js";

/** A delivery with everything sending it needs: what the dispatcher's claim reads, too. */
export interface DeliveryToSend {
  id: string;
  orgId: string;
  endpointId: string;
  eventId: string;
  attempts: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  maxConcurrency: number;
  rateLimitPerSecond: number | null;
  body: string;
  isTest: 0 | 1;
}

/**
 * The claim handed-off deliveries are written with (this process's worker, until the lease
 * ends), and how many of each endpoint's new deliveries the dispatcher takes now.
 */
export interface HandoffClaim {
  workerId: string;
  until: string;
  /** Per endpoint the dispatcher knows. */
  room: Record<string, number>;
  /** For an endpoint it does not know yet. */
  defaultRoom: number;
}

/**
 * This process's own webhook dispatcher, taking the deliveries a transaction makes as it writes
 * them. Instead of being written due, NOTIFYing and waiting for a claim (a read and an update),
 * a delivery the dispatcher has room for is written already claimed by it, and handed to it
 * after the commit. Crash safety is the claim's: the lease ends, the delivery is due again.
 * Absent, or `claim` undefined, when the process runs no dispatcher or it is not running.
 */
export interface DeliveryHandoff {
  /** The claim to write, or undefined when the dispatcher takes nothing now. */
  claim(now: Date): HandoffClaim | undefined;
  /** After the commit: the deliveries written claimed for it. */
  accept(deliveries: DeliveryToSend[]): void;
}

/** What sending needs of an endpoint. */
export type SendingEndpoint = Pick<
  Selectable<WebhookEndpointsTable>,
  | "id"
  | "url"
  | "secret"
  | "previous_secret"
  | "previous_secret_expires_at"
  | "max_concurrency"
  | "rate_limit_per_second"
>;

/** A new delivery (no attempt yet) of `event` to `endpoint`, with what sending it needs. */
export function deliveryToSend(
  id: string,
  event: { id: string; orgId: string; body: string; isTest: 0 | 1 },
  endpoint: SendingEndpoint,
): DeliveryToSend {
  return {
    id,
    orgId: event.orgId,
    endpointId: endpoint.id,
    eventId: event.id,
    attempts: 0,
    url: endpoint.url,
    secret: endpoint.secret,
    previousSecret: endpoint.previous_secret,
    previousSecretExpiresAt: endpoint.previous_secret_expires_at,
    maxConcurrency: endpoint.max_concurrency,
    rateLimitPerSecond: endpoint.rate_limit_per_second,
    body: event.body,
    isTest: event.isTest,
  };
}

/** What PostgreSQL's functions return per claimed delivery (migration 0018's `o_claimed`). */
const claimedRowSchema = z.tuple([
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string().nullable(),
  z.string().nullable(),
  z.number().int(),
  z.number().nullable(),
]);
const claimedRowsSchema = z.array(claimedRowSchema);

/** The `p_claim` argument of migration 0018's functions: null claims nothing. */
export function claimArgument(handoff: DeliveryHandoff | undefined, now: Date): string | null {
  const claim = handoff?.claim(now);
  if (claim === undefined) return null;
  return JSON.stringify({
    by: claim.workerId,
    until: claim.until,
    room: claim.room,
    default: claim.defaultRoom,
  });
}

/**
 * The claimed deliveries a function returned, completed with their events' bodies (which this
 * process has in hand; they are not sent back).
 */
export function claimedDeliveries(
  returned: unknown,
  orgId: string,
  events: ReadonlyMap<string, { body: string; is_test: 0 | 1 }>,
): DeliveryToSend[] {
  return claimedRowsSchema.parse(returned).map((row) => {
    const [id, endpointId, eventId, url, secret, previousSecret, previousSecretExpiresAt, max, rate] = row;
    const event = events.get(eventId);
    if (event === undefined) throw new Error(`claimed delivery ${id} is of an event not written here`);
    return deliveryToSend(
      id,
      { id: eventId, orgId, body: event.body, isTest: event.is_test },
      {
        id: endpointId,
        url,
        secret,
        previous_secret: previousSecret,
        previous_secret_expires_at: previousSecretExpiresAt,
        max_concurrency: max,
        rate_limit_per_second: rate,
      },
    );
  });
}
