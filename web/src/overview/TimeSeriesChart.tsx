import { useEffect, useId, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatCount } from "./formatStats";

export interface ChartSeries {
  label: string;
  values: number[];
  /** A colour with at least 3:1 contrast on white. */
  color: string;
  /** A dash pattern, so series differ by more than colour. */
  dash?: number[];
}

export interface TimeSeriesChartProps {
  caption: string;
  /** Start of each bucket, in seconds since the epoch (UTC). */
  xs: number[];
  /** The same buckets as text, for the table. */
  xLabels: string[];
  /** Header of the table's first column, e.g. "Day (UTC)". */
  xHeader: string;
  series: ChartSeries[];
  /** One sentence summing the chart up, shown under it. */
  summary: string;
}

const HEIGHT = 240;
const AXIS = { stroke: "#4a5563", grid: { stroke: "#e3e7ec", width: 1 }, ticks: { stroke: "#c9d1db" } };
/** Whole-number steps only: these are counts. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

function options(width: number, series: ChartSeries[]): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    // The buckets are UTC days and hours: label the axis in UTC too.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true }, y: { range: (_chart, _min, max) => [0, Math.max(1, max)] } },
    axes: [AXIS, { ...AXIS, incrs: COUNT_STEPS, values: (_chart, ticks) => ticks.map(formatCount) }],
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: "Time" },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        points: { show: true, size: 5 },
        ...(s.dash === undefined ? {} : { dash: s.dash }),
      })),
    ],
  };
}

/**
 * A uPlot line chart with its text alternative: the caption names it, a sentence sums it up, and
 * a visually hidden table holds every value. The canvas itself is hidden from assistive technology.
 */
export function TimeSeriesChart({ caption, xs, xLabels, xHeader, series, summary }: TimeSeriesChartProps) {
  const captionId = useId();
  const canvasRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = canvasRef.current;
    if (element === null) return;
    const chart = new uPlot(
      options(element.clientWidth, series),
      [xs, ...series.map((s) => s.values)],
      element,
    );
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [xs, series]);

  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{caption}</figcaption>
      <div ref={canvasRef} className="chart-canvas" aria-hidden="true" />
      <p className="hint">{summary}</p>
      <table className="visually-hidden">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{xHeader}</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {xLabels.map((label, row) => (
            <tr key={xs[row] ?? label}>
              <th scope="row">{label}</th>
              {series.map((s) => (
                <td key={s.label}>{formatCount(s.values[row] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
