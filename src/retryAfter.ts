/**
 * A `Retry-After` value in ms from now; it is either delta-seconds or an HTTP date (RFC 9110).
 * Webhook deliveries and the Twilio client both read it, so it belongs to neither feature.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates always carry a day or month name; bare numbers like "-5" are not dates.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
