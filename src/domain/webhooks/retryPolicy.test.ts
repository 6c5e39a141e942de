import { describe, expect, it } from "vitest";
import { nextRetryDelayMs } from "./retryPolicy.js";

const SCHEDULE = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
const plain = { statusCode: 500, timedOut: false, retryAfterMs: undefined };

describe("nextRetryDelayMs", () => {
  it("follows the schedule with ±20% jitter at the extremes of the random source", () => {
    SCHEDULE.forEach((step, i) => {
      expect(nextRetryDelayMs(i + 1, SCHEDULE, plain, () => 0)).toBe(Math.round(step * 0.8));
      expect(nextRetryDelayMs(i + 1, SCHEDULE, plain, () => 0.5)).toBe(step);
      expect(nextRetryDelayMs(i + 1, SCHEDULE, plain, () => 0.999999)).toBe(
        Math.round(step * 1.2 - step * 0.4 * 0.000001),
      );
    });
  });

  it("stays within the jitter bounds for any random value", () => {
    for (let i = 0; i < 1000; i++) {
      const delay = nextRetryDelayMs(2, SCHEDULE, plain) ?? 0;
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
  });

  it("gives up after the last step", () => {
    expect(nextRetryDelayMs(8, SCHEDULE, plain)).toBeUndefined();
    expect(nextRetryDelayMs(1, [], plain)).toBeUndefined();
  });

  it("honours Retry-After clamped to [step, 2 × step]", () => {
    const at = (retryAfterMs: number, failures = 2) =>
      nextRetryDelayMs(failures, SCHEDULE, { ...plain, statusCode: 503, retryAfterMs });
    expect(at(400_000)).toBe(400_000);
    expect(at(1_000)).toBe(300_000);
    expect(at(10_000_000)).toBe(600_000);
  });

  it("waits at least 60 s after a 429 or a timeout, even on the 5 s step", () => {
    expect(nextRetryDelayMs(1, SCHEDULE, { ...plain, statusCode: 429 }, () => 0.5)).toBe(60_000);
    expect(nextRetryDelayMs(1, SCHEDULE, { statusCode: null, timedOut: true, retryAfterMs: undefined })).toBe(
      60_000,
    );
    expect(nextRetryDelayMs(1, SCHEDULE, { ...plain, statusCode: 429, retryAfterMs: 8_000 })).toBe(60_000);
    expect(nextRetryDelayMs(2, SCHEDULE, { ...plain, statusCode: 429 }, () => 0.5)).toBe(300_000);
  });
});
