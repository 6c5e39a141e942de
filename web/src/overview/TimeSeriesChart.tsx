import { useEffect, useId, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatCount, formatRate } from "./formatStats";

export interface ChartSeries {
  label: string;
  /** One value per bucket; null leaves a gap (nothing to measure in that bucket). */
  values: (number | null)[];
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
  /** What the values are: counts (the default, from 0 up) or rates from 0 to 1, shown as percentages. */
  scale?: "count" | "rate";
  /** Canvas height in pixels (default 240). */
  height?: number;
}

/** The sum of a series, gaps counting as nothing. */
export function seriesTotal(values: readonly (number | null)[]): number {
  return values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

const HEIGHT = 240;
const AXIS = { stroke: "#4a5563", grid: { stroke: "#e3e7ec", width: 1 }, ticks: { stroke: "#c9d1db" } };
/** Whole-number steps only: these are counts. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/** A y axis: its range, tick steps, and how a value reads (axis, legend, table; null: none, `—`). */
interface YScale {
  range(max: number): uPlot.Range.MinMax;
  steps: number[];
  format(value: number | null): string;
}

const SCALES: Record<NonNullable<TimeSeriesChartProps["scale"]>, YScale> = {
  count: {
    range: (max: number): uPlot.Range.MinMax => [0, Math.max(1, max)],
    steps: COUNT_STEPS,
    format: (value: number | null) => (value === null ? "—" : formatCount(value)),
  },
  rate: {
    range: (): uPlot.Range.MinMax => [0, 1],
    steps: [0.25, 0.5],
    format: (value: number | null) => formatRate(value),
  },
};

function options(width: number, height: number, series: ChartSeries[], y: YScale): uPlot.Options {
  return {
    width,
    height,
    // The buckets are UTC days and hours: label the axis in UTC too.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true }, y: { range: (_chart, _min, max) => y.range(max) } },
    axes: [AXIS, { ...AXIS, incrs: y.steps, values: (_chart, ticks) => ticks.map(y.format) }],
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: "Time" },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        points: { show: true, size: 5 },
        value: (_chart: uPlot, value: number | null) => y.format(value),
        ...(s.dash === undefined ? {} : { dash: s.dash }),
      })),
    ],
  };
}

/**
 * A uPlot line chart with its text alternative: the caption names it, a sentence sums it up, and
 * a visually hidden table holds every value. The canvas itself is hidden from assistive technology.
 */
export function TimeSeriesChart({
  caption,
  xs,
  xLabels,
  xHeader,
  series,
  summary,
  scale = "count",
  height = HEIGHT,
}: TimeSeriesChartProps) {
  const captionId = useId();
  const canvasRef = useRef<HTMLDivElement>(null);
  const { format } = SCALES[scale];

  useEffect(() => {
    const element = canvasRef.current;
    if (element === null) return;
    const chart = new uPlot(
      options(element.clientWidth, height, series, SCALES[scale]),
      [xs, ...series.map((s) => s.values)],
      element,
    );
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [xs, series, scale, height]);

  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{caption}</figcaption>
      <div ref={canvasRef} className="chart-canvas" style={{ minHeight: height }} aria-hidden="true" />
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
                <td key={s.label}>{format(s.values[row] ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
