import type { Logger } from "pino";
import { Batcher } from "../../batcher.js";
import { type Clock, toIso } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { notFound } from "../../domain/errors.js";
import { signatureHeaders } from "../../domain/webhooks/signature.js";
import type { WebhookTransport } from "../../domain/webhooks/transport.js";
import type { AttemptView, WebhookActions } from "../../domain/webhooks/types.js";
import { DELIVERIES_CHANNEL, endpointsOfPayload } from "../../domain/webhooks/wakeups.js";
import type { WebhookMetrics } from "../../metrics.js";
import { listenForNotifications } from "../pgListener.js";
import { WakeSignal } from "../wakeSignal.js";
import { type Candidate, type ClaimedDelivery, claimDeliveries } from "./claimDeliveries.js";
import { EndpointLimiter } from "./endpointLimiter.js";
import { type AttemptResult, isSuccess, type Recorded, recordResults } from "./recordResults.js";
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
  /** The longest one request may take; a queued delivery must start this long before its lease ends. */
  requestTimeoutMs: number;
  retryScheduleMs: readonly number[];
  /** Requests in flight in this process, all endpoints together. */
  maxInFlight: number;
  batchSize: number;
  /** The polling backstop when no wake-up arrives. */
  pollIntervalMs: number;
}

/** Rounds of an endpoint's concurrency that may wait claimed in this process. */
const QUEUE_ROUNDS = 4;

interface QueuedDelivery {
  delivery: ClaimedDelivery;
  /** Clock time (ms) after which starting it could outlive its lease. */
  startBy: number;
}

/** Claims due webhook deliveries, sends them signed, records every attempt, schedules retries. */
export class WebhookDispatcher implements WebhookActions {
  private readonly signal = new WakeSignal();
  private readonly limiter = new EndpointLimiter();
  private readonly inFlight = new Set<Promise<void>>();
  /** Until a result is written its delivery stays claimed, so a crash re-sends it (at-least-once). */
  private readonly batcher: Batcher<AttemptResult, Recorded>;
  private running = false;
  /**
   * Claimed deliveries waiting for a free slot of their endpoint, up to `QUEUE_ROUNDS` rounds of
   * its concurrency: a response starts the next request at once, without a database round trip,
   * and each claim is large. A delivery that waited so long that its lease could run out during
   * its request is handed back instead of sent (see `startQueued`).
   */
  private readonly queued = new Map<string, QueuedDelivery[]>();
  private queuedCount = 0;
  /**
   * Endpoints whose due deliveries the last claim had to leave for lack of room: a response
   * from one of them is worth a new claim; other responses are not (the claim would find nothing).
   */
  private backlogged = new Set<string>();
  /** Set by wake-ups and polls: something new may be due, whatever the backlog says. */
  private newWork = true;
  private claiming = false;
  private loopDone: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(private readonly o: DispatcherOptions) {
    this.batcher = new Batcher(
      (batch) => recordResults(o.database, batch, { now: o.clock.now(), schedule: o.retryScheduleMs }),
      o.logger,
      { what: "webhook attempts (leases will expire and retry)", maxBatch: 200, maxDelayMs: 4 },
    );
  }

  /**
   * Something may be due. `endpointIds` names the endpoints that got deliveries, when known: if
   * this process already holds as many of theirs as it may, a claim could only step over them,
   * so they are noted as backlogged (claimed as soon as a slot frees) instead.
   */
  wake(endpointIds?: readonly string[]): void {
    // A claim under way may have read before these commits and will reset the backlog: look again.
    const mayMatter =
      endpointIds === undefined ||
      this.claiming ||
      endpointIds.some((id) => !this.limiter.knows(id) || this.room(id) > 0);
    if (mayMatter) {
      this.newWork = true;
    } else {
      for (const id of endpointIds) this.backlogged.add(id);
    }
    this.signal.notify();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.o.database.capabilities.listenNotify && this.o.database.pgPool) {
      this.stopListening = listenForNotifications(
        this.o.database.pgPool,
        DELIVERIES_CHANNEL,
        (payload) => this.wake(endpointsOfPayload(payload)),
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
    await this.releaseQueued();
  }

  /** Hands deliveries that never started back to the table, for any worker to claim at once. */
  private async releaseQueued(): Promise<void> {
    const ids = [...this.queued.values()].flat().map((q) => q.delivery.id);
    this.queued.clear();
    this.queuedCount = 0;
    await this.release(ids);
  }

  private async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.o.database.db
      .updateTable("webhook_deliveries")
      .set({ locked_by: null, locked_until: null, next_attempt_at: toIso(this.o.clock.now()) })
      .where("id", "in", ids)
      .where("locked_by", "=", this.o.workerId)
      .execute();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let drained = true;
      if (this.worthClaiming()) {
        try {
          // A full batch means more may be due right away; anything less means wait for news.
          const { launched, asked } = await this.claimAndLaunch();
          drained = launched < asked || asked === 0;
        } catch (error) {
          this.o.logger.error({ err: error }, "claiming webhook deliveries failed");
        }
      }
      if (!this.running) break;
      if (drained) {
        const tokenWait = this.limiter.msUntilToken();
        const notified = await this.signal.wait(
          tokenWait > 0 ? Math.min(tokenWait, this.o.pollIntervalMs) : this.o.pollIntervalMs,
        );
        // A poll that timed out, or a token refill, may find deliveries that fell due by time.
        if (!notified || tokenWait > 0) this.newWork = true;
      }
    }
  }

  /** Skips a claim that could only come back empty: no news and every backlogged endpoint still full. */
  private worthClaiming(): boolean {
    this.startQueued();
    if (this.newWork || this.backlogged.size === 0) return true;
    return [...this.backlogged].some((id) => this.room(id) > 0);
  }

  /** How many more deliveries of this endpoint this process can take: free slots plus queue room. */
  private room(endpointId: string): number {
    const max = this.limiter.maxConcurrency(endpointId);
    const waiting = this.queued.get(endpointId)?.length ?? 0;
    return this.limiter.freeSlots(endpointId) + Math.max(0, max * QUEUE_ROUNDS - waiting);
  }

  /** Claims what this process has room for and starts sending it. */
  private async claimAndLaunch(): Promise<{ launched: number; asked: number }> {
    const asked = Math.min(this.o.batchSize, this.o.maxInFlight - this.inFlight.size - this.queuedCount);
    if (asked <= 0) return { launched: 0, asked: 0 };
    this.newWork = false;
    const excluded = this.limiter.known().filter((id) => this.room(id) === 0);
    this.claiming = true;
    const claimed = await claimDeliveries(this.o.database, {
      workerId: this.o.workerId,
      now: this.o.clock.now(),
      leaseMs: this.o.leaseMs,
      limit: asked,
      excludeEndpoints: excluded,
      pick: (candidates) => this.pickWithinLimits(candidates, excluded),
    }).finally(() => {
      this.claiming = false;
    });
    const startBy = this.o.clock.now().getTime() + this.o.leaseMs - this.o.requestTimeoutMs;
    for (const delivery of claimed) this.launchOrQueue(delivery, startBy);
    return { launched: claimed.length, asked };
  }

  private pickWithinLimits<C extends Candidate>(candidates: C[], excluded: string[]): C[] {
    const taken = new Map<string, number>();
    // Endpoints left out of this claim keep their backlog: the query could not see it.
    const backlogged = new Set(excluded.filter((id) => this.backlogged.has(id)));
    const picked = candidates.filter((d) => {
      this.limiter.learn(d.endpointId, d.maxConcurrency, d.rateLimitPerSecond);
      const count = taken.get(d.endpointId) ?? 0;
      if (count >= this.room(d.endpointId)) {
        backlogged.add(d.endpointId);
        return false;
      }
      taken.set(d.endpointId, count + 1);
      return true;
    });
    this.backlogged = backlogged;
    return picked;
  }

  private launchOrQueue(delivery: ClaimedDelivery, startBy: number): void {
    if (this.limiter.freeSlots(delivery.endpointId) > 0) {
      this.launch(delivery);
      return;
    }
    const queue = this.queued.get(delivery.endpointId) ?? [];
    queue.push({ delivery, startBy });
    this.queued.set(delivery.endpointId, queue);
    this.queuedCount++;
  }

  /** Starts queued deliveries whose endpoint has a free slot (after a response or a token refill). */
  private startQueued(endpointId?: string): void {
    const ids = endpointId === undefined ? [...this.queued.keys()] : [endpointId];
    const now = this.queued.size > 0 ? this.o.clock.now().getTime() : 0;
    const expired: string[] = [];
    for (const id of ids) {
      const queue = this.queued.get(id) ?? [];
      const before = queue.length;
      while (queue.length > 0 && this.limiter.freeSlots(id) > 0) {
        this.queuedCount--;
        const { delivery, startBy } = queue.shift() as QueuedDelivery;
        // Sending it now could overlap another worker's claim once the lease ends: hand it back.
        if (now > startBy) expired.push(delivery.id);
        else this.launch(delivery);
      }
      if (queue.length === 0) this.queued.delete(id);
      // Crossing half the queue: claim the next round while the rest is still being sent
      // (once per crossing, not once per response).
      const half = Math.floor((this.limiter.maxConcurrency(id) * QUEUE_ROUNDS) / 2);
      if (this.backlogged.has(id) && before > half && queue.length <= half) this.signal.notify();
    }
    if (expired.length > 0) {
      this.wake();
      this.release(expired).catch((error: unknown) =>
        this.o.logger.error({ err: error }, "could not hand back expired webhook claims"),
      );
    }
  }

  private launch(delivery: ClaimedDelivery): void {
    this.limiter.acquire(delivery.endpointId);
    let released = false;
    // The endpoint's slot is free as soon as its answer is in: recording it is our business,
    // and holding the slot through the batched write would cap throughput at the write latency.
    const releaseSlot = () => {
      if (released) return;
      released = true;
      this.limiter.release(delivery.endpointId);
      this.startQueued(delivery.endpointId);
    };
    const run = async () => {
      try {
        const result = await this.send(delivery, this.o.workerId);
        releaseSlot();
        const { outcome, attempt } = await this.batcher.add(result);
        this.o.metrics.observe(outcome, attempt.durationMs);
      } catch (error) {
        this.o.logger.error({ err: error, deliveryId: delivery.id }, "webhook delivery failed");
      } finally {
        releaseSlot();
        this.inFlight.delete(work);
        if (this.inFlight.size === 0) this.signal.notify();
      }
    };
    const work: Promise<void> = run();
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
      const { launched } = await this.claimAndLaunch();
      total += launched;
      this.startQueued();
      if (launched === 0 && this.inFlight.size === 0 && this.queuedCount === 0) break;
      await Promise.race([...this.inFlight, this.signal.wait(this.o.pollIntervalMs)]);
    }
    await this.batcher.flush();
    return total;
  }
}
