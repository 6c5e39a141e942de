/** What we learnt from a failed attempt that shapes the next wait. */
export interface FailedAttempt {
  statusCode: number | null;
  timedOut: boolean;
  /** Parsed `Retry-After`, in ms from now, when the receiver sent one. */
  retryAfterMs: number | undefined;
}

const MIN_WAIT_AFTER_THROTTLE_MS = 60_000;
const JITTER = 0.2;

/**
 * The wait before the next attempt after `failures` failed attempts (1 = the first), or
 * undefined when the schedule is exhausted and the delivery is failed. Each step gets ±20%
 * jitter so a recovering receiver is not hit by a synchronised wave; a `Retry-After` replaces
 * it, clamped to [step, 2 × step]; throttling (429) and timeouts wait at least 60 s.
 */
export function nextRetryDelayMs(
  failures: number,
  schedule: readonly number[],
  failure: FailedAttempt,
  random: () => number = Math.random,
): number | undefined {
  const step = schedule[failures - 1];
  if (step === undefined) return undefined;
  let wait =
    failure.retryAfterMs === undefined
      ? step * (1 - JITTER + 2 * JITTER * random())
      : Math.min(Math.max(failure.retryAfterMs, step), 2 * step);
  if (failure.statusCode === 429 || failure.timedOut) wait = Math.max(wait, MIN_WAIT_AFTER_THROTTLE_MS);
  return Math.round(wait);
}

/** An endpoint failing without a single success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
