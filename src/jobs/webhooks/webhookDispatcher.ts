import type { Logger } from "pino";
import type { Clock } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { notFound } from "../../domain/errors.js";
import { signatureHeaders } from "../../domain/webhooks/signature.js";
import type { WebhookTransport } from "../../domain/webhooks/transport.js";
import type { AttemptView, WebhookActions } from "../../domain/webhooks/types.js";
import { DELIVERIES_CHANNEL } from "../../domain/webhooks/wakeups.js";
import type { WebhookMetrics } from "../../metrics.js";
import { listenForNotifications } from "../pgListener.js";
import { WakeSignal } from "../wakeSignal.js";
import { type ClaimedDelivery, claimDeliveries } from "./claimDeliveries.js";
import { EndpointLimiter } from "./endpointLimiter.js";
import { type AttemptResult, isSuccess, recordResults } from "./recordResults.js";
import { ResultBatcher } from "./resultBatcher.js";
import { sendableDeliveries } from "./sendableDeliveries.js";

export interface DispatcherOptions {
  database: Database;
  clock: Clock;
  transport: WebhookTransport;
  logger: Logger;
  metrics: WebhookMetrics;
  workerId: string;
  /** How long a claim holds; a worker that dies mid-request loses its claims after this. */
  leaseMs: number;
  retryScheduleMs: readonly number[];
  /** Requests in flight in this process, all endpoints together. */
  maxInFlight: number;
  batchSize: number;
  /** The polling backstop when no wake-up arrives. */
  pollIntervalMs: number;
}

/** Claims due webhook deliveries, sends them signed, records every attempt, schedules retries. */
export class WebhookDispatcher implements WebhookActions {
  private readonly signal = new WakeSignal();
  private readonly limiter = new EndpointLimiter();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batcher: ResultBatcher;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(private readonly o: DispatcherOptions) {
    this.batcher = new ResultBatcher(
      (batch) => recordResults(o.database, batch, { now: o.clock.now(), schedule: o.retryScheduleMs }),
      o.logger,
    );
  }

  wake(): void {
    this.signal.notify();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.o.database.capabilities.listenNotify && this.o.database.pgPool) {
      this.stopListening = listenForNotifications(
        this.o.database.pgPool,
        DELIVERIES_CHANNEL,
        () => this.wake(),
        this.o.logger,
      );
    }
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets requests in flight finish and records them. */
  async stop(): Promise<void> {
    this.running = false;
    this.signal.notify();
    await this.loopDone;
    await this.stopListening?.();
    await Promise.allSettled([...this.inFlight]);
    await this.batcher.flush();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let launched = 0;
      try {
        launched = await this.claimAndLaunch();
      } catch (error) {
        this.o.logger.error({ err: error }, "claiming webhook deliveries failed");
      }
      if (!this.running) break;
      if (launched === 0 || this.inFlight.size >= this.o.maxInFlight) {
        const tokenWait = this.limiter.msUntilToken();
        await this.signal.wait(
          tokenWait > 0 ? Math.min(tokenWait, this.o.pollIntervalMs) : this.o.pollIntervalMs,
        );
      }
    }
  }

  /** Claims what this process has room for and starts sending it; returns how many started. */
  private async claimAndLaunch(): Promise<number> {
    const room = this.o.maxInFlight - this.inFlight.size;
    if (room <= 0) return 0;
    const claimed = await claimDeliveries(this.o.database, {
      workerId: this.o.workerId,
      now: this.o.clock.now(),
      leaseMs: this.o.leaseMs,
      limit: Math.min(this.o.batchSize, room),
      excludeEndpoints: this.limiter.blocked(),
      pick: (candidates) => this.pickWithinLimits(candidates),
    });
    for (const delivery of claimed) this.launch(delivery);
    return claimed.length;
  }

  private pickWithinLimits(candidates: ClaimedDelivery[]): ClaimedDelivery[] {
    const taken = new Map<string, number>();
    return candidates.filter((d) => {
      this.limiter.learn(d.endpointId, d.maxConcurrency, d.rateLimitPerSecond);
      const count = taken.get(d.endpointId) ?? 0;
      if (count >= this.limiter.freeSlots(d.endpointId)) return false;
      taken.set(d.endpointId, count + 1);
      return true;
    });
  }

  private launch(delivery: ClaimedDelivery): void {
    this.limiter.acquire(delivery.endpointId);
    const work = this.send(delivery, this.o.workerId)
      .then((result) => this.batcher.add(result))
      .then(({ outcome, attempt }) => this.o.metrics.observe(outcome, attempt.durationMs))
      .catch((error: unknown) =>
        this.o.logger.error({ err: error, deliveryId: delivery.id }, "webhook delivery failed"),
      )
      .finally(() => {
        this.limiter.release(delivery.endpointId);
        this.inFlight.delete(work);
        this.signal.notify();
      });
    this.inFlight.add(work);
  }

  private async send(delivery: ClaimedDelivery, lockedBy: string | null): Promise<AttemptResult> {
    const attemptedAt = this.o.clock.now();
    const previousValid =
      delivery.previousSecret !== null &&
      delivery.previousSecretExpiresAt !== null &&
      delivery.previousSecretExpiresAt > attemptedAt.toISOString();
    const secrets: [string, ...string[]] =
      previousValid && delivery.previousSecret !== null
        ? [delivery.secret, delivery.previousSecret]
        : [delivery.secret];
    const headers = signatureHeaders(
      delivery.body,
      delivery.eventId,
      Math.floor(attemptedAt.getTime() / 1000),
      secrets,
    );
    const response = await this.o.transport.post({ url: delivery.url, body: delivery.body, headers });
    if (!isSuccess(response)) {
      this.o.logger.debug(
        { deliveryId: delivery.id, status: response.statusCode, error: response.error },
        "webhook attempt failed",
      );
    }
    return {
      deliveryId: delivery.id,
      orgId: delivery.orgId,
      endpointId: delivery.endpointId,
      attemptsBefore: delivery.attempts,
      attemptedAt,
      response,
      lockedBy,
      // Test sends are one-shot: never retried in the background.
      oneShot: delivery.isTest === 1,
    };
  }

  /** Sends one delivery now, whatever its schedule (test sends, explicit retries), and records it. */
  async deliverNow(deliveryId: string): Promise<AttemptView> {
    const delivery = await sendableDeliveries(this.o.database.db)
      .where("d.id", "=", deliveryId)
      .executeTakeFirst();
    if (delivery === undefined) throw notFound("Delivery");
    const result = await this.send(delivery, null);
    const [recorded] = await recordResults(this.o.database, [result], {
      now: this.o.clock.now(),
      schedule: this.o.retryScheduleMs,
    });
    if (recorded === undefined) throw new Error("attempt not recorded");
    this.o.metrics.observe(recorded.outcome, recorded.attempt.durationMs);
    return recorded.attempt;
  }

  /**
   * Delivers everything due now and waits until it is recorded: for tests and tools that drive
   * time by hand instead of running the loop. Returns how many deliveries were attempted.
   */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const launched = await this.claimAndLaunch();
      total += launched;
      if (launched === 0 && this.inFlight.size === 0) break;
      await Promise.race([...this.inFlight, this.signal.wait(this.o.pollIntervalMs)]);
    }
    await this.batcher.flush();
    return total;
  }
}
