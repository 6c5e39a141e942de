import { describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { EndpointLimiter } from "./endpointLimiter.js";

/** A limiter on a clock the test moves by hand. */
function limiterAt() {
  const clock = new ManualClock();
  return {
    limiter: new EndpointLimiter(() => clock.now().getTime()),
    advance: (ms: number) => clock.advance(ms),
  };
}

describe("EndpointLimiter", () => {
  it("puts no limit on an endpoint it has not learnt, and knows only those it has", () => {
    const { limiter } = limiterAt();
    expect(limiter.freeSlots("whe_new")).toBe(Number.POSITIVE_INFINITY);
    expect(limiter.knows("whe_new")).toBe(false);
    expect(limiter.maxConcurrency("whe_new")).toBe(0);
    limiter.learn("whe_a", 2, null);
    expect(limiter.knows("whe_a")).toBe(true);
    expect(limiter.known()).toEqual(["whe_a"]);
    expect(limiter.maxConcurrency("whe_a")).toBe(2);
  });

  it("counts requests in flight against max_concurrency, per endpoint", () => {
    const { limiter } = limiterAt();
    limiter.learn("whe_a", 2, null);
    limiter.learn("whe_b", 1, null);
    limiter.acquire("whe_a");
    expect(limiter.freeSlots("whe_a")).toBe(1);
    limiter.acquire("whe_a");
    expect(limiter.freeSlots("whe_a")).toBe(0);
    expect(limiter.freeSlots("whe_b")).toBe(1);
    limiter.release("whe_a");
    expect(limiter.freeSlots("whe_a")).toBe(1);
    limiter.release("whe_a");
    // A release without a request in flight never makes room beyond the limit.
    limiter.release("whe_a");
    expect(limiter.freeSlots("whe_a")).toBe(2);
  });

  it("takes a lowered limit at once: more in flight than allowed is no free slot, not a negative one", () => {
    const { limiter } = limiterAt();
    limiter.learn("whe_a", 3, null);
    for (let i = 0; i < 3; i++) limiter.acquire("whe_a");
    limiter.learn("whe_a", 1, null);
    expect(limiter.freeSlots("whe_a")).toBe(0);
  });

  it("spends one token per request and refills rate_limit_per_second, never above one second's worth", () => {
    const { limiter, advance } = limiterAt();
    limiter.learn("whe_a", 10, 2);
    expect(limiter.freeSlots("whe_a")).toBe(2);
    limiter.acquire("whe_a");
    limiter.acquire("whe_a");
    limiter.release("whe_a");
    limiter.release("whe_a");
    // Slots are free, tokens are not.
    expect(limiter.freeSlots("whe_a")).toBe(0);
    advance(499);
    expect(limiter.freeSlots("whe_a")).toBe(0);
    advance(1);
    expect(limiter.freeSlots("whe_a")).toBe(1);
    advance(10_000);
    expect(limiter.freeSlots("whe_a")).toBe(2);
  });

  it("lets the tighter of concurrency and tokens decide", () => {
    const { limiter } = limiterAt();
    limiter.learn("whe_a", 1, 5);
    expect(limiter.freeSlots("whe_a")).toBe(1);
    limiter.acquire("whe_a");
    expect(limiter.freeSlots("whe_a")).toBe(0);
  });

  describe("msUntilToken", () => {
    it("is 0 while no rate-limited endpoint has run out", () => {
      const { limiter } = limiterAt();
      expect(limiter.msUntilToken()).toBe(0);
      limiter.learn("whe_plain", 1, null);
      limiter.acquire("whe_plain");
      limiter.learn("whe_rated", 5, 2);
      limiter.acquire("whe_rated");
      expect(limiter.msUntilToken()).toBe(0);
    });

    it("is how long until the drained endpoint has a whole token again", () => {
      const { limiter, advance } = limiterAt();
      limiter.learn("whe_a", 5, 4);
      for (let i = 0; i < 4; i++) limiter.acquire("whe_a");
      expect(limiter.msUntilToken()).toBe(250);
      advance(100);
      expect(limiter.msUntilToken()).toBe(150);
      advance(150);
      expect(limiter.msUntilToken()).toBe(0);
      expect(limiter.freeSlots("whe_a")).toBe(1);
    });

    it("is the soonest refill across endpoints: when any queued delivery may next go", () => {
      const { limiter } = limiterAt();
      // One endpoint takes a request a second, the other ten.
      limiter.learn("whe_slow", 5, 1);
      limiter.learn("whe_fast", 5, 10);
      limiter.acquire("whe_slow");
      for (let i = 0; i < 10; i++) limiter.acquire("whe_fast");
      // The fast endpoint may send again in 100 ms; waiting for the slow one's second would hold
      // its queue ten times too long.
      expect(limiter.msUntilToken()).toBe(100);
    });
  });
});
