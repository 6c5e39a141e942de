import { useMemo } from "react";
import { type DailyStats, useDailyStats } from "../api/stats";
import { QueryFailure } from "../components/QueryFailure";
import { formatCount, formatUtcDay, unixSeconds } from "./formatStats";
import { type ChartSeries, seriesTotal, TimeSeriesChart } from "./TimeSeriesChart";

const DAYS = 30;

function chartOf(days: DailyStats[]) {
  const series: ChartSeries[] = [
    { label: "Sent", values: days.map((d) => d.sent), color: "#1749b3" },
    { label: "Replies", values: days.map((d) => d.replies), color: "#14632f", dash: [8, 4] },
    { label: "Opt-outs", values: days.map((d) => d.optOuts), color: "#a1161d", dash: [2, 3] },
  ];
  const [sent, replies, optOuts] = series.map((s) => seriesTotal(s.values));
  return {
    xs: days.map((d) => unixSeconds(`${d.date}T00:00:00Z`)),
    xLabels: days.map((d) => formatUtcDay(d.date)),
    series,
    summary: `Last ${DAYS} days: sent ${formatCount(sent ?? 0)}, replies ${formatCount(replies ?? 0)}, opt-outs ${formatCount(optOuts ?? 0)}.`,
  };
}

/** Messages sent, replies and opt-outs per UTC day over the last 30 days. */
export function DailyChart() {
  const daily = useDailyStats(DAYS);
  const chart = useMemo(() => (daily.data === undefined ? undefined : chartOf(daily.data)), [daily.data]);
  if (daily.isError) return <QueryFailure error={daily.error} what="the messages per day" />;
  if (chart === undefined) return <p role="status">Loading the messages per day…</p>;
  return (
    <TimeSeriesChart
      caption={`Messages sent, replies and opt-outs per day, last ${DAYS} days (UTC)`}
      xHeader="Day (UTC)"
      {...chart}
    />
  );
}
