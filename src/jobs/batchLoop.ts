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
  /** Does one batch; returns how many items it took (a full batch runs again at once). */
  runOnce: () => Promise<number>;
  /** PostgreSQL LISTEN for wake-ups from other processes. */
  listen?: { pool: pg.Pool; channel: string } | undefined;
}

/**
 * The loop every batch worker shares: run a batch; after a short one, wait for a wake-up (in
 * process, or NOTIFY through LISTEN) or the poll interval; stop cleanly after the batch in hand.
 */
export class BatchLoop {
  private readonly signal = new WakeSignal();
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(private readonly o: BatchLoopOptions) {}

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
        () => this.wake(),
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
      let taken = 0;
      try {
        taken = await this.o.runOnce();
      } catch (error) {
        this.o.logger.error({ err: error }, `${this.o.name} failed`);
      }
      if (taken < this.o.batchSize) await this.signal.wait(this.o.pollIntervalMs);
    }
  }

  /** Runs batches until one finds nothing (tests and tools that drive time by hand). */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.o.runOnce();
      total += n;
      if (n === 0) return total;
    }
  }
}
