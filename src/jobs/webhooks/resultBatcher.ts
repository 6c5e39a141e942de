import type { Logger } from "pino";
import type { AttemptView } from "../../domain/webhooks/types.js";
import type { AttemptResult, Outcome } from "./recordResults.js";

type Recorded = { outcome: Outcome; attempt: AttemptView };
type Flush = (batch: AttemptResult[]) => Promise<Recorded[]>;

interface Waiting {
  result: AttemptResult;
  resolve: (value: Recorded) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects attempt results and writes them in batches: one transaction per few milliseconds
 * instead of one per request is what lets a single SQLite writer keep up with the network.
 * Until a result is written its delivery stays claimed, so a crash re-sends it (at-least-once).
 */
export class ResultBatcher {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly flushBatch: Flush,
    private readonly logger: Logger,
    private readonly maxBatch = 200,
    private readonly maxDelayMs = 4,
  ) {}

  add(result: AttemptResult): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      this.queue.push({ result, resolve, reject });
      if (this.queue.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
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
        const recorded = await this.flushBatch(batch.map((w) => w.result));
        batch.forEach((w, i) => {
          const value = recorded[i];
          if (value) w.resolve(value);
          else w.reject(new Error("result not recorded"));
        });
      } catch (error) {
        this.logger.error(
          { err: error, size: batch.length },
          "could not record webhook attempts; leases will expire and retry",
        );
        for (const w of batch) w.reject(error);
      }
    });
    return this.writing;
  }
}
