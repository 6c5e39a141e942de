import { useQuery } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";

/** `GET /v1/stats/overview`: "7d" is the 7 × 24 hours before `asOf`, "today" the UTC date. */
export interface Overview {
  asOf: string;
  leads: number;
  messagesSentToday: number;
  messagesSent7d: number;
  /** 0..1, null when no lead was messaged. */
  replyRate7d: number | null;
  optOuts7d: number;
  /** 0..1, null when no delivery finished. */
  webhookSuccessRate7d: number | null;
  unknownMessages: number;
}

export interface DailyStats {
  /** UTC date, `2024-01-15`. */
  date: string;
  sent: number;
  replies: number;
  optOuts: number;
}

export interface HourlyDeliveries {
  /** Start of the UTC hour, ISO 8601. */
  hour: string;
  succeeded: number;
  failed: number;
}

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
        await apiRequest<{ days: DailyStats[] }>(
          `/v1/stats/daily?${new URLSearchParams({ days: String(days) })}`,
        )
      ).days,
    refetchInterval: REFRESH_MS,
  });
}

export function useHourlyDeliveries(hours: number) {
  return useQuery({
    queryKey: queryKeys.statsDeliveriesHourly(hours),
    queryFn: async () =>
      (
        await apiRequest<{ hours: HourlyDeliveries[] }>(
          `/v1/stats/deliveries-hourly?${new URLSearchParams({ hours: String(hours) })}`,
        )
      ).hours,
    refetchInterval: REFRESH_MS,
  });
}
