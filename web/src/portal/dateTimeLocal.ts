/**
 * `<input type="datetime-local">` speaks local wall time without a zone; the URL and the API speak
 * ISO 8601 instants. These convert between the two in the reader's zone.
 */

/** An ISO instant as the value of a datetime-local input, or "" when it is not a date. */
export function toLocalInput(iso: string | null): string {
  if (iso === null || iso === "") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value as an ISO instant, or "" when it is empty or not a date. */
export function fromLocalInput(value: string): string {
  if (value === "") return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
