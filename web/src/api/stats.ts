import { useQuery } from "@tanstack/react-query";
import { apiRequest } from "./http";
import type { ElementOf, ResponseOf } from "./openapiHelpers";
import { queryKeys } from "./queryKeys";

/** `GET /v1/stats/overview`: "7d" is the 7 × 24 hours before `asOf`, "today" the UTC date. */
export type Overview = ResponseOf<"/v1/stats/overview", "get">;

/** One UTC date of `GET /v1/stats/daily`. */
export type DailyStats = ElementOf<ResponseOf<"/v1/stats/daily", "get">["days"]>;

/** One UTC hour of `GET /v1/stats/deliveries-hourly`. */
export type HourlyDeliveries = ElementOf<ResponseOf<"/v1/stats/deliveries-hourly", "get">["hours"]>;

/** The overview refreshes itself this often while it is open. */
const REFRESH_MS = 30_000;

export function useOverview() {
  return useQuery({
    queryKey: queryKeys.statsOverview,
    queryFn: () => apiRequest<Overview>("/v1/stats/overview"),
    refetchInterval: REFRESH_MS,
  });
}

export function useDailyStats(days: number) {
  return useQuery({
    queryKey: queryKeys.statsDaily(days),
    queryFn: async () =>
      (
        await apiRequest<ResponseOf<"/v1/stats/daily", "get">>(
          `/v1/stats/daily?${new URLSearchParams({ days: String(days) })}`,
        )
      ).days,
    refetchInterval: REFRESH_MS,
  });
}

/** Deliveries finished per UTC hour: the org's, or one endpoint's. */
async function hourlyDeliveries(hours: number, endpointId?: string): Promise<HourlyDeliveries[]> {
  const query = new URLSearchParams({ hours: String(hours) });
  if (endpointId !== undefined) query.set("endpointId", endpointId);
  const body = await apiRequest<ResponseOf<"/v1/stats/deliveries-hourly", "get">>(
    `/v1/stats/deliveries-hourly?${query}`,
  );
  return body.hours;
}

export function useHourlyDeliveries(hours: number) {
  return useQuery({
    queryKey: queryKeys.statsDeliveriesHourly(hours),
    queryFn: () => hourlyDeliveries(hours),
    refetchInterval: REFRESH_MS,
  });
}

/**
 * One endpoint's deliveries per hour. Its key sits under the deliveries' prefix, so a test send,
 * retry or recovery (which invalidate every delivery query) refreshes it too.
 */
export function useEndpointHourlyDeliveries(endpointId: string, hours: number) {
  return useQuery({
    queryKey: queryKeys.endpointDeliveriesHourly(endpointId, hours),
    queryFn: () => hourlyDeliveries(hours, endpointId),
  });
}
