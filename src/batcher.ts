import type { Logger } from "pino";

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects items and writes them in batches (group commit): one transaction per few
 * milliseconds instead of one per item is what lets a single SQLite writer keep up. `add`
 * resolves only once its batch is written, so callers still learn of their own write.
 * `flushBatch` returns one result per item, in order.
 */
export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly flushBatch: (batch: I[]) => Promise<O[]>,
    private readonly logger: Logger,
    private readonly options: { what: string; maxBatch: number; maxDelayMs: number },
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs);
    });
  }

  /** Writes everything queued so far; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        const results = await this.flushBatch(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          if (i < results.length) w.resolve(results[i] as O);
          else w.reject(new Error(`${this.options.what}: not written`));
        });
      } catch (error) {
        this.logger.error({ err: error, size: batch.length }, `could not write ${this.options.what}`);
        for (const w of batch) w.reject(error);
      }
    });
    return this.writing;
  }
}
