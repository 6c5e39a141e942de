import { type LeadwireProcess, startProcess } from "../processes.js";

/**
 * A fixed number of worker processes (`start --role worker`) that a killer SIGKILLs at random and
 * restarts. Every process ever started is remembered so the test can clean up whatever happens.
 */
export class WorkerPool {
  /** The live worker of each slot; undefined while that slot is being restarted. */
  private readonly slots: (LeadwireProcess | undefined)[];
  /** Every process started, dead or alive. */
  readonly started: LeadwireProcess[] = [];
  /** Starts still in progress (a child not yet in `started`). */
  private readonly starting = new Set<Promise<unknown>>();
  kills = 0;
  restarts = 0;
  /** Restarts that failed (a worker that would not start): reported, and the slot stays empty. */
  readonly startFailures: string[] = [];
  private chaos: { stop: () => void; done: Promise<void> } | undefined;
  /** Processes this pool signalled; any other exit is a crash. */
  private readonly signalled = new Set<LeadwireProcess>();
  private destroyed = false;

  constructor(
    private readonly env: Record<string, string>,
    size: number,
  ) {
    this.slots = Array.from({ length: size }, () => undefined);
  }

  get alive(): number {
    return this.slots.filter((s) => s !== undefined).length;
  }

  private async fill(slot: number): Promise<void> {
    const start = startProcess(this.env, "worker");
    this.starting.add(start);
    try {
      const worker = await start;
      this.started.push(worker);
      // A start that lands after cleanup began is stopped at once.
      if (this.destroyed) worker.child.kill("SIGKILL");
      else this.slots[slot] = worker;
    } catch (error) {
      this.startFailures.push(error instanceof Error ? error.message.slice(0, 500) : String(error));
    } finally {
      this.starting.delete(start);
    }
  }

  async startAll(): Promise<void> {
    await Promise.all(this.slots.map((_, slot) => this.fill(slot)));
  }

  /**
   * Every `minMs`..`maxMs` SIGKILLs one live worker (chosen by `random`) and restarts it at once;
   * a kill is skipped while fewer than two workers are up, so one keeps working most of the time.
   */
  startChaos(random: () => number, minMs: number, maxMs: number): void {
    let stopped = false;
    let wake: (() => void) | undefined;
    const restarts = new Set<Promise<void>>();
    const loop = async () => {
      while (!stopped) {
        // Pacing only (when to strike next), not a correctness wait.
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, minMs + random() * (maxMs - minMs));
        });
        if (stopped) break;
        const live = this.slots.flatMap((s, i) => (s === undefined ? [] : [i]));
        if (live.length < 2) continue;
        const slot = live[Math.floor(random() * live.length)] ?? 0;
        const victim = this.slots[slot];
        if (victim === undefined) continue;
        this.slots[slot] = undefined;
        this.signalled.add(victim);
        victim.child.kill("SIGKILL");
        this.kills++;
        const restart = (async () => {
          await victim.exited;
          this.restarts++;
          await this.fill(slot);
        })();
        restarts.add(restart);
        void restart.finally(() => restarts.delete(restart));
      }
      await Promise.all(restarts);
    };
    this.chaos = {
      stop: () => {
        stopped = true;
        wake?.();
      },
      done: loop(),
    };
  }

  /** Stops the killer and waits for the restarts it began. */
  async stopChaos(): Promise<void> {
    if (this.chaos === undefined) return;
    this.chaos.stop();
    await this.chaos.done;
    this.chaos = undefined;
  }

  /** Stops every live worker (SIGTERM, SIGKILL after `graceMs`) and starts a fresh one in each slot. */
  async restartAll(graceMs = 20_000): Promise<void> {
    await this.stopAll(graceMs);
    await this.startAll();
  }

  async stopAll(graceMs = 20_000): Promise<void> {
    const live = this.slots.filter((s): s is LeadwireProcess => s !== undefined);
    this.slots.fill(undefined);
    await Promise.all(
      live.map(async (worker) => {
        this.signalled.add(worker);
        worker.child.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), graceMs);
        });
        if ((await Promise.race([worker.exited, late])) === "late") {
          worker.child.kill("SIGKILL");
          await worker.exited;
        }
        clearTimeout(timer);
      }),
    );
  }

  /** Workers that exited without being told to (crashes), with their exit code and last log line. */
  crashes(): string[] {
    return this.started
      .filter((w) => !this.signalled.has(w) && (w.child.exitCode !== null || w.child.signalCode !== null))
      .map((w) => `exit ${w.child.exitCode ?? w.child.signalCode}: ${JSON.stringify(w.logs.at(-1) ?? {})}`);
  }

  /** Cleanup that cannot fail: stop the killer, let pending starts land, SIGKILL every child. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.chaos?.stop();
    // A start normally ends (started or exited) within seconds; never let cleanup hang on one.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((resolve) => {
      timer = setTimeout(resolve, 30_000);
    });
    await Promise.race([
      Promise.allSettled([this.chaos?.done ?? Promise.resolve(), ...this.starting]),
      bound,
    ]);
    clearTimeout(timer);
    for (const worker of this.started) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
    }
    await Promise.allSettled(this.started.map((w) => w.exited));
  }
}
