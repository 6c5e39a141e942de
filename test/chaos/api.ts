/** A small HTTP client for the chaos test: counts every call by outcome, never throws on a bad status. */

export interface ApiResult {
  /** The HTTP status, or 0 when no answer came (connection error, timeout). */
  status: number;
  body: unknown;
}

export interface ApiStats {
  calls: number;
  ok: number;
  /** Non-2xx outcomes by status (0: no answer), with one sample message each. */
  failures: Map<number, { count: number; sample: string }>;
}

export class ChaosApi {
  readonly stats: ApiStats = { calls: 0, ok: 0, failures: new Map() };

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    /** A request that got no answer within this long counts as failed (status 0). */
    private readonly timeoutMs = 120_000,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    this.stats.calls++;
    let result: ApiResult;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          "x-api-key": this.key,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = text;
      }
      result = { status: res.status, body: parsed };
    } catch (error) {
      result = {
        status: 0,
        body: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
    if (result.status >= 200 && result.status < 300) this.stats.ok++;
    else {
      const entry = this.stats.failures.get(result.status);
      if (entry) entry.count++;
      else
        this.stats.failures.set(result.status, {
          count: 1,
          sample: `${method} ${path}: ${JSON.stringify(result.body).slice(0, 300)}`,
        });
    }
    return result;
  }

  /** A call that must succeed (setup and read-back): throws with the answer otherwise. */
  async must<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    return res.body as T;
  }

  /** Follows `nextToken` through a paginated listing and returns every item of `field`. */
  async pages<T>(path: string, field: string): Promise<T[]> {
    const items: T[] = [];
    let token: string | null = null;
    const sep = path.includes("?") ? "&" : "?";
    do {
      const url: string = token === null ? path : `${path}${sep}nextToken=${encodeURIComponent(token)}`;
      const page = await this.must<Record<string, unknown>>("GET", url);
      items.push(...((page[field] as T[] | undefined) ?? []));
      token = (page.nextToken as string | null | undefined) ?? null;
    } while (token !== null);
    return items;
  }

  describeFailures(): string {
    return [...this.stats.failures.entries()]
      .map(([status, { count, sample }]) => `${status}×${count} (e.g. ${sample})`)
      .join("; ");
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** Polls `check` until it returns true or the deadline passes; returns the last state it described. */
export async function pollUntil(
  check: () => Promise<{ done: boolean; state: string }>,
  options: { timeoutMs: number; intervalMs: number; stableFor?: number },
): Promise<{ done: boolean; state: string; waitedMs: number }> {
  const started = Date.now();
  let streak = 0;
  let last = { done: false, state: "not checked" };
  while (Date.now() - started < options.timeoutMs) {
    last = await check();
    streak = last.done ? streak + 1 : 0;
    if (streak >= (options.stableFor ?? 1)) return { ...last, waitedMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return { ...last, done: false, waitedMs: Date.now() - started };
}

/** A small seeded PRNG (mulberry32), so a run's kill schedule can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
