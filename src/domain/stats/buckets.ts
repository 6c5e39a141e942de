import { DateTime } from "luxon";
import { toIso } from "../../clock.js";

/** Time buckets of the stats series: UTC days and hours, oldest first, the current one last. */

/** Length of a stored timestamp's day prefix, `2024-01-15`. */
export const DAY_PREFIX = 10;
/** Length of a stored timestamp's hour prefix, `2024-01-15T14`. */
export const HOUR_PREFIX = 13;

export interface Buckets {
  /** Start of the oldest bucket, written as stored timestamps are (ISO 8601 UTC), for `>=`. */
  since: string;
  /** Each bucket's start (ISO 8601 UTC), oldest first. */
  starts: string[];
}

function buckets(now: Date, count: number, unit: "day" | "hour"): Buckets {
  const current = DateTime.fromJSDate(now, { zone: "utc" }).startOf(unit);
  const starts = Array.from({ length: count }, (_, i) =>
    toIso(current.minus({ [unit]: count - 1 - i }).toJSDate()),
  );
  return { since: starts[0] ?? toIso(current.toJSDate()), starts };
}

/** The last `count` UTC days up to and including today. */
export function utcDays(now: Date, count: number): Buckets {
  return buckets(now, count, "day");
}

/** The last `count` UTC hours up to and including the current one. */
export function utcHours(now: Date, count: number): Buckets {
  return buckets(now, count, "hour");
}

export interface BucketCount {
  /** The timestamp prefix the rows share, e.g. `2024-01-15`. */
  bucket: string;
  count: number;
}
