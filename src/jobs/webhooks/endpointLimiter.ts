/**
 * Per-endpoint limits inside one process: at most `maxConcurrency` requests in flight and, when
 * set, `rateLimitPerSecond` (token bucket). An endpoint at its limit is excluded from claims, so
 * a slow or dead receiver never holds back deliveries to healthy ones.
 */
export class EndpointLimiter {
  private readonly inFlight = new Map<string, number>();
  private readonly limits = new Map<string, { max: number; rate: number | null }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  learn(endpointId: string, max: number, rate: number | null): void {
    this.limits.set(endpointId, { max, rate });
  }

  private refill(endpointId: string, rate: number): { tokens: number; at: number } {
    const now = this.nowMs();
    const bucket = this.buckets.get(endpointId) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(endpointId, bucket);
    return bucket;
  }

  /** How many more requests this endpoint may start now. */
  freeSlots(endpointId: string): number {
    const limit = this.limits.get(endpointId);
    if (limit === undefined) return Number.POSITIVE_INFINITY;
    const slots = limit.max - (this.inFlight.get(endpointId) ?? 0);
    if (limit.rate === null) return Math.max(0, slots);
    return Math.max(0, Math.min(slots, Math.floor(this.refill(endpointId, limit.rate).tokens)));
  }

  knows(endpointId: string): boolean {
    return this.limits.has(endpointId);
  }

  /** Endpoints seen so far. */
  known(): string[] {
    return [...this.limits.keys()];
  }

  maxConcurrency(endpointId: string): number {
    return this.limits.get(endpointId)?.max ?? 0;
  }

  acquire(endpointId: string): void {
    this.inFlight.set(endpointId, (this.inFlight.get(endpointId) ?? 0) + 1);
    const limit = this.limits.get(endpointId);
    if (limit?.rate != null) this.refill(endpointId, limit.rate).tokens -= 1;
  }

  release(endpointId: string): void {
    const left = (this.inFlight.get(endpointId) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(endpointId);
    else this.inFlight.set(endpointId, left);
  }

  /**
   * Ms until the first of the rate-limited endpoints that ran out of tokens has one again (0 when
   * none has run out). The dispatcher sleeps this long at most: the soonest refill is when some
   * queued delivery may go, and waiting for the latest would hold a fast endpoint's queue behind
   * the slowest one's bucket.
   */
  msUntilToken(): number {
    let wait = Number.POSITIVE_INFINITY;
    for (const [id, limit] of this.limits) {
      if (limit.rate === null) continue;
      const bucket = this.refill(id, limit.rate);
      if (bucket.tokens < 1) wait = Math.min(wait, ((1 - bucket.tokens) / limit.rate) * 1000);
    }
    return wait === Number.POSITIVE_INFINITY ? 0 : Math.ceil(wait);
  }
}
