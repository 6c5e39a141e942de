const counts = new Intl.NumberFormat();
const percents = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const utcDay = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const utcHour = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export function formatCount(value: number): string {
  return counts.format(value);
}

/** A 0..1 rate as a percentage; `—` when there is nothing to divide by. */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : percents.format(rate);
}

/** Seconds since the epoch, as uPlot takes its x values. */
export function unixSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** A UTC date from the API (`2024-01-15`), in the reader's locale. */
export function formatUtcDay(date: string): string {
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(parsed) ? date : utcDay.format(parsed);
}

/** The start of a UTC hour from the API, in the reader's locale, marked UTC. */
export function formatUtcHour(iso: string): string {
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? iso : `${utcHour.format(parsed)} UTC`;
}
