import { useMemo } from "react";
import { type HourlyDeliveries, useEndpointHourlyDeliveries } from "../api/stats";
import { QueryFailure } from "../components/QueryFailure";
import { formatCount, formatRate, formatUtcHour, unixSeconds } from "../overview/formatStats";
import { type ChartSeries, seriesTotal, TimeSeriesChart } from "../overview/TimeSeriesChart";

const HOURS = 7 * 24;

/** Succeeded among finished, or null when nothing finished (a gap in the line, not 0%). */
const rateOf = (succeeded: number, finished: number) => (finished === 0 ? null : succeeded / finished);

function chartOf(hours: HourlyDeliveries[]) {
  const series: ChartSeries[] = [
    {
      label: "Success rate",
      values: hours.map((h) => rateOf(h.succeeded, h.succeeded + h.failed)),
      color: "#14632f",
    },
  ];
  const succeeded = seriesTotal(hours.map((h) => h.succeeded));
  const finished = succeeded + seriesTotal(hours.map((h) => h.failed));
  const measured = series[0]?.values.filter((value) => value !== null).length ?? 0;
  return {
    succeeded,
    finished,
    rate: rateOf(succeeded, finished),
    xs: hours.map((h) => unixSeconds(h.hour)),
    xLabels: hours.map((h) => formatUtcHour(h.hour)),
    series,
    summary: `${formatCount(measured)} of the last ${HOURS} hours had finished deliveries; the others are gaps in the line.`,
  };
}

/**
 * The endpoint's webhook success rate over the last 7 days: the overall share of finished
 * deliveries that succeeded, as text, and per UTC hour as a chart.
 */
export function EndpointSuccessRate({ endpointId }: { endpointId: string }) {
  const hourly = useEndpointHourlyDeliveries(endpointId, HOURS);
  const chart = useMemo(() => (hourly.data === undefined ? undefined : chartOf(hourly.data)), [hourly.data]);
  if (hourly.isError) return <QueryFailure error={hourly.error} what="the success rate" />;
  if (chart === undefined) return <p className="hint">Loading the success rate…</p>;
  if (chart.finished === 0) return <p className="hint">No deliveries finished in the last 7 days.</p>;
  const { succeeded, finished, rate, ...series } = chart;
  return (
    <div className="endpoint-success">
      <p>
        Success rate, last 7 days: <strong>{formatRate(rate)}</strong> ({formatCount(succeeded)} of{" "}
        {formatCount(finished)} finished deliveries succeeded)
      </p>
      <TimeSeriesChart
        caption="Success rate per hour, last 7 days (UTC)"
        xHeader="Hour (UTC)"
        scale="rate"
        height={140}
        {...series}
      />
    </div>
  );
}
