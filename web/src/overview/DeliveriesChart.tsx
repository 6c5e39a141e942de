import { useMemo } from "react";
import { type HourlyDeliveries, useHourlyDeliveries } from "../api/stats";
import { QueryFailure } from "../components/QueryFailure";
import { formatCount, formatUtcHour, unixSeconds } from "./formatStats";
import { type ChartSeries, seriesTotal, TimeSeriesChart } from "./TimeSeriesChart";

const HOURS = 48;

function chartOf(hours: HourlyDeliveries[]) {
  const series: ChartSeries[] = [
    { label: "Succeeded", values: hours.map((h) => h.succeeded), color: "#14632f" },
    { label: "Failed", values: hours.map((h) => h.failed), color: "#a1161d", dash: [8, 4] },
  ];
  const [succeeded, failed] = series.map((s) => seriesTotal(s.values));
  return {
    xs: hours.map((h) => unixSeconds(h.hour)),
    xLabels: hours.map((h) => formatUtcHour(h.hour)),
    series,
    summary: `Last ${HOURS} hours: succeeded ${formatCount(succeeded ?? 0)}, failed ${formatCount(failed ?? 0)}.`,
  };
}

/** Webhook deliveries finished per UTC hour over the last 48 hours. */
export function DeliveriesChart() {
  const hourly = useHourlyDeliveries(HOURS);
  const chart = useMemo(() => (hourly.data === undefined ? undefined : chartOf(hourly.data)), [hourly.data]);
  if (hourly.isError) return <QueryFailure error={hourly.error} what="the deliveries per hour" />;
  if (chart === undefined) return <p role="status">Loading the deliveries per hour…</p>;
  return (
    <TimeSeriesChart
      caption={`Webhook deliveries succeeded and failed per hour, last ${HOURS} hours (UTC)`}
      xHeader="Hour (UTC)"
      {...chart}
    />
  );
}
