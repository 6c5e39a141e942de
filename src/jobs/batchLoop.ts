import type pg from "pg";
import type { Logger } from "pino";
import { listenForNotifications } from "./pgListener.js";
import { WakeSignal } from "./wakeSignal.js";

export interface BatchLoopOptions {
  /** Names the work in error logs. */
  name: string;
  logger: Logger;
  batchSize: number;
  /** The polling backstop when no wake-up arrives. */
  pollIntervalMs: number;
  /**
   * Does one batch; returns how many items it took (a full batch runs again at once). A worker
   * that asks for fewer than `batchSize` at times says itself whether it got all it asked for.
   */
  runOnce: () => Promise<number | BatchTaken>;
  /**
   * PostgreSQL LISTEN for wake-ups from other processes; `onNotify` reads the payload (by
   * default a NOTIFY is a plain wake-up).
   */
  listen?: { pool: pg.Pool; channel: string; onNotify?: (payload?: string) => void } | undefined;
  /** The signal `wake()` notifies and the loop waits on: pass one to wait on or notify it elsewhere too. */
  signal?: WakeSignal;
  /** How the loop waits after a short batch; by default for a wake-up or the poll interval. */
  idle?: () => Promise<void>;
}

/** A batch's size when it is not measured against `batchSize`. */
export interface BatchTaken {
  taken: number;
  /** It took all it asked for: more may be due at once. */
  full: boolean;
}

/**
 * The loop every batch worker shares: run a batch; after a short one, wait for a wake-up (in
 * process, or NOTIFY through LISTEN) or the poll interval; stop cleanly after the batch in hand.
 */
export class BatchLoop {
  private readonly signal: WakeSignal;
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(private readonly o: BatchLoopOptions) {
    this.signal = o.signal ?? new WakeSignal();
  }

  wake(): void {
    this.signal.notify();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.o.listen) {
      this.stopListening = listenForNotifications(
        this.o.listen.pool,
        this.o.listen.channel,
        this.o.listen.onNotify ?? (() => this.wake()),
        this.o.logger,
      );
    }
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal.notify();
    await this.done;
    await this.stopListening?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let full = false;
      try {
        const taken = await this.o.runOnce();
        full = typeof taken === "number" ? taken >= this.o.batchSize : taken.full;
      } catch (error) {
        this.o.logger.error({ err: error }, `${this.o.name} failed`);
      }
      if (!full) await (this.o.idle?.() ?? this.signal.wait(this.o.pollIntervalMs));
    }
  }

  /** Runs batches until one finds nothing (tests and tools that drive time by hand). */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const taken = await this.o.runOnce();
      const n = typeof taken === "number" ? taken : taken.taken;
      total += n;
      if (n === 0) return total;
    }
  }
}
