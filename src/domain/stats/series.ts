import type { DomainContext } from "../context.js";
import { loadEndpointRow } from "../webhooks/endpointRow.js";
import { type BucketCount, DAY_PREFIX, HOUR_PREFIX, utcDays, utcHours } from "./buckets.js";
import { finishedDeliveriesBy, optOutsBy, receivedBy, sentBy } from "./statsQueries.js";

export interface DailyStats {
  /** UTC date, `2024-01-15`. */
  date: string;
  /** Messages sent (accepted by the provider) that day. */
  sent: number;
  /** Messages received from leads that day. */
  replies: number;
  /** Opt-outs that day. */
  optOuts: number;
}

export interface HourlyDeliveries {
  /** Start of the UTC hour, `2024-01-15T14:00:00.000Z`. */
  hour: string;
  /** Deliveries that succeeded in that hour. */
  succeeded: number;
  /** Deliveries that failed for good in that hour (retries exhausted, or 410 Gone). */
  failed: number;
}

function byBucket(rows: readonly BucketCount[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.bucket, (counts.get(row.bucket) ?? 0) + Number(row.count));
  return counts;
}

/** The last `days` UTC days, today last, each present with zeros when nothing happened. */
export async function getDailyStats(ctx: DomainContext, orgId: string, days: number): Promise<DailyStats[]> {
  const { since, starts } = utcDays(ctx.clock.now(), days);
  const [sent, replies, optOuts] = await Promise.all([
    sentBy(ctx.db, orgId, since, DAY_PREFIX),
    receivedBy(ctx.db, orgId, since, DAY_PREFIX),
    optOutsBy(ctx.db, orgId, since, DAY_PREFIX),
  ]);
  const [sentByDay, repliesByDay, optOutsByDay] = [byBucket(sent), byBucket(replies), byBucket(optOuts)];
  return starts.map((start) => {
    const date = start.slice(0, DAY_PREFIX);
    return {
      date,
      sent: sentByDay.get(date) ?? 0,
      replies: repliesByDay.get(date) ?? 0,
      optOuts: optOutsByDay.get(date) ?? 0,
    };
  });
}

/**
 * Deliveries finished in each of the last `hours` UTC hours, the current one last, zeros
 * included: the org's, or only those to `endpointId` (404 unless it is the org's endpoint).
 */
export async function getHourlyDeliveries(
  ctx: DomainContext,
  orgId: string,
  hours: number,
  endpointId?: string,
): Promise<HourlyDeliveries[]> {
  if (endpointId !== undefined) await loadEndpointRow(ctx.db, orgId, endpointId);
  const { since, starts } = utcHours(ctx.clock.now(), hours);
  const rows = await finishedDeliveriesBy(ctx.db, orgId, since, HOUR_PREFIX, endpointId);
  const succeeded = byBucket(rows.filter((row) => row.status === "succeeded"));
  const failed = byBucket(rows.filter((row) => row.status === "failed"));
  return starts.map((hour) => {
    const key = hour.slice(0, HOUR_PREFIX);
    return { hour, succeeded: succeeded.get(key) ?? 0, failed: failed.get(key) ?? 0 };
  });
}
