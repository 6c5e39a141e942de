import type { Logger } from "pino";
import { Batcher } from "../../batcher.js";
import { type Clock, toIso } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { notFound } from "../../domain/errors.js";
import type { DeliveryHandoff, DeliveryToSend, HandoffClaim } from "../../domain/webhooks/handoff.js";
import { signatureHeaders } from "../../domain/webhooks/signature.js";
import type { WebhookTransport } from "../../domain/webhooks/transport.js";
import type { AttemptView, WebhookActions } from "../../domain/webhooks/types.js";
import { DELIVERIES_CHANNEL, endpointsOfPayload } from "../../domain/webhooks/wakeups.js";
import type { WebhookMetrics } from "../../metrics.js";
import { BatchLoop, type BatchTaken } from "../batchLoop.js";
import { WakeSignal } from "../wakeSignal.js";
import { type ClaimedDelivery, claimDeliveries } from "./claimDeliveries.js";
import { EndpointLimiter } from "./endpointLimiter.js";
import { EndpointQueues, QUEUE_ROUNDS, type QueueMoves } from "./endpointQueues.js";
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

/**
 * Claims due webhook deliveries, sends them signed, records every attempt, schedules retries.
 * Which claimed delivery goes when is `EndpointQueues`' business; this class does the I/O.
 */
export class WebhookDispatcher implements WebhookActions, DeliveryHandoff {
  /** Shared by the loop's idle wait and `runDue`: whoever waits is woken. */
  private readonly signal = new WakeSignal();
  private readonly limiter = new EndpointLimiter();
  private readonly queues: EndpointQueues<ClaimedDelivery>;
  private readonly loop: BatchLoop;
  private readonly inFlight = new Set<Promise<void>>();
  /** Until a result is written its delivery stays claimed, so a crash re-sends it (at-least-once). */
  private readonly batcher: Batcher<AttemptResult, Recorded>;
  /** Between `start` and `stop`: only then does it take deliveries as they are written. */
  private running = false;

  constructor(private readonly o: DispatcherOptions) {
    this.queues = new EndpointQueues(this.limiter, () => o.clock.now().getTime());
    this.batcher = new Batcher(
      (batch) => recordResults(o.database, batch, { now: o.clock.now(), schedule: o.retryScheduleMs }),
      o.logger,
      { what: "webhook attempts (leases will expire and retry)", maxBatch: 200, maxDelayMs: 20 },
    );
    const pool = o.database.capabilities.listenNotify ? o.database.pgPool : undefined;
    this.loop = new BatchLoop({
      name: "claiming webhook deliveries",
      logger: o.logger,
      batchSize: o.batchSize,
      pollIntervalMs: o.pollIntervalMs,
      runOnce: () => this.runOnce(),
      listen: pool
        ? { pool, channel: DELIVERIES_CHANNEL, onNotify: (payload) => this.wake(endpointsOfPayload(payload)) }
        : undefined,
      signal: this.signal,
      idle: () => this.idle(),
    });
  }

  /**
   * Something may be due. `endpointIds` names the endpoints that got deliveries, when known (see
   * `EndpointQueues.noteDue`).
   */
  wake(endpointIds?: readonly string[]): void {
    this.queues.noteDue(endpointIds);
    this.loop.wake();
  }

  start(): void {
    if (this.queues.mode === "stopped") this.queues.reopen();
    this.loop.start();
    this.running = true;
  }

  /**
   * The claim new deliveries are written with when this process sends them itself (handoff.ts),
   * as long as it has room: the endpoints it knows get what their queues can take, one it does
   * not know yet a few (its limits come with its first deliveries).
   */
  claim(now: Date): HandoffClaim | undefined {
    if (!this.running) return undefined;
    const free = this.freeSlots();
    if (free <= 0) return undefined;
    const rooms = this.queues.handoffRoom(Math.min(QUEUE_ROUNDS, free));
    if (rooms === undefined) return undefined;
    for (const id of Object.keys(rooms.room)) rooms.room[id] = Math.min(rooms.room[id] ?? 0, free);
    return { workerId: this.o.workerId, until: toIso(new Date(now.getTime() + this.o.leaseMs)), ...rooms };
  }

  /** Deliveries this process may still take: sending or queued, all endpoints together. */
  private freeSlots(): number {
    return this.o.maxInFlight - this.inFlight.size - this.queues.size;
  }

  /** After the commit that wrote them claimed for this process: send them, or queue them. */
  accept(deliveries: DeliveryToSend[]): void {
    const startBy = this.o.clock.now().getTime() + this.o.leaseMs - this.o.requestTimeoutMs;
    this.act(this.queues.handedOff(deliveries, startBy));
  }

  /** Stops claiming, lets requests in flight finish and records them, hands back what waited. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop.stop();
    if (this.queues.mode === "stopping" || this.queues.mode === "stopped") return;
    this.queues.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.batcher.flush();
    // For any worker to claim at once, rather than when their leases end.
    await this.release(this.queues.handBackAll());
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

  /** One round of the loop: start what waits, then claim if a claim could take anything. */
  private async runOnce(): Promise<BatchTaken> {
    this.act(this.queues.startWaiting());
    if (!this.queues.worthClaiming()) return { taken: 0, full: false };
    // A full batch means more may be due right away; anything less means wait for news.
    const { launched, asked } = await this.claimAndLaunch();
    return { taken: launched, full: launched === asked && asked > 0 };
  }

  /** Waits for a wake-up, the poll interval, or the soonest token refill of a rate-limited endpoint. */
  private async idle(): Promise<void> {
    const tokenWait = this.limiter.msUntilToken();
    const notified = await this.signal.wait(
      tokenWait > 0 ? Math.min(tokenWait, this.o.pollIntervalMs) : this.o.pollIntervalMs,
    );
    // A poll that timed out, or a token refill, may find deliveries that fell due by time.
    if (!notified || tokenWait > 0) this.queues.noteDue();
  }

  /** Claims what this process has room for and starts sending it. */
  private async claimAndLaunch(): Promise<{ launched: number; asked: number }> {
    const asked = Math.min(this.o.batchSize, this.freeSlots());
    if (asked <= 0) return { launched: 0, asked: 0 };
    const excluded = this.queues.beginClaim(asked);
    let claimed: ClaimedDelivery[];
    try {
      claimed = await claimDeliveries(this.o.database, {
        workerId: this.o.workerId,
        now: this.o.clock.now(),
        leaseMs: this.o.leaseMs,
        limit: asked,
        excludeEndpoints: excluded,
        pick: (candidates) => this.queues.pick(candidates, excluded),
      });
    } catch (error) {
      this.queues.abandonClaim();
      throw error;
    }
    const startBy = this.o.clock.now().getTime() + this.o.leaseMs - this.o.requestTimeoutMs;
    for (const delivery of this.queues.endClaim(claimed, startBy)) this.launch(delivery);
    return { launched: claimed.length, asked };
  }

  /** Does what the queues decided: send, hand back, wake the loop for a claim. */
  private act(moves: QueueMoves<ClaimedDelivery>): void {
    for (const delivery of moves.send) this.launch(delivery);
    if (moves.claimSoon) this.loop.wake();
    if (moves.handBack.length > 0)
      this.release(moves.handBack).catch((error: unknown) =>
        this.o.logger.error({ err: error }, "could not hand back expired webhook claims"),
      );
  }

  /** Sends a delivery whose endpoint slot the queues have taken. */
  private launch(delivery: ClaimedDelivery): void {
    let released = false;
    // The endpoint's slot is free as soon as its answer is in: recording it is our business,
    // and holding the slot through the batched write would cap throughput at the write latency.
    const releaseSlot = () => {
      if (released) return;
      released = true;
      this.act(this.queues.finished(delivery.endpointId));
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
        if (this.inFlight.size === 0) this.loop.wake();
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
      this.act(this.queues.startWaiting());
      if (launched === 0 && this.inFlight.size === 0 && this.queues.size === 0) break;
      await Promise.race([...this.inFlight, this.signal.wait(this.o.pollIntervalMs)]);
    }
    await this.batcher.flush();
    return total;
  }
}
