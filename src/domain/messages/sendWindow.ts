import { DateTime, IANAZone } from "luxon";

/** Local hours [startHour, endHour): a message may go out when the local hour is in the range. */
export interface HourRange {
  startHour: number;
  endHour: number;
}

/** The follow-up window: hours on ISO weekdays (1 = Monday … 7 = Sunday), minus holidays (YYYY-MM-DD). */
export interface WindowRule extends HourRange {
  days: readonly number[];
  holidays: readonly string[];
}

export interface SendRules {
  window?: WindowRule | undefined;
  /** The SMS floor; when the lead's zone is unknown it is replaced by `quietHoursZoneFallback`. */
  quietHours?: HourRange | undefined;
  /** The lead's zone; null when unknown. */
  timeZone: string | null;
  /** The org's zone, used for the window when the lead's is unknown. */
  defaultTimeZone: string;
}

export type NoSendWindowReason =
  | "no-days"
  | "empty-hours"
  | "window-and-quiet-hours-never-overlap"
  | "no-opening-within-a-year";

/** The rules can never be satisfied: waiting would mean waiting forever. */
export class NoSendWindowError extends Error {
  override readonly name = "NoSendWindowError";

  constructor(
    readonly reason: NoSendWindowReason,
    detail: string,
  ) {
    super(`No time satisfies the send rules: ${detail}`);
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Holidays may cover more than a year; a message that would wait longer is treated as unsendable. */
const HORIZON_DAYS = 366;
const ALL_DAYS: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 6, 7]);

const EASTERN = "America/New_York";
/** The US TCPA rule, which settings also use as the floor for quiet hours. */
const TCPA_HOURS: HourRange = { startHour: 8, endHour: 21 };
/**
 * Hawaii (UTC-10, no DST) is 6 hours behind Eastern while Eastern is on EDT, so an Eastern hour
 * is safe for Hawaii's morning only from `start + 6`. Alaska, Adak and the mainland lag less.
 */
const EASTERN_AHEAD_OF_HAWAII_HOURS = 6;
/**
 * Puerto Rico and the US Virgin Islands (UTC-4, no DST) are an hour ahead of Eastern in winter,
 * so Eastern's evening must stop an hour early for theirs.
 */
const ATLANTIC_AHEAD_OF_EASTERN_HOURS = 1;

/** The zones `quietHoursZoneFallback` is proven against (see the tests). */
export const US_ZONES_COVERED = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "America/Adak",
  "Pacific/Honolulu",
  "America/Puerto_Rico",
  "America/St_Thomas",
] as const;

/**
 * The quiet hours to apply when the lead's zone is unknown: an Eastern window that lies inside
 * the given local hours in every zone of `US_ZONES_COVERED`, all year. For the TCPA floor
 * (08:00–21:00) that is 14:00–20:00 Eastern (= 08:00–14:00 Hawaii in summer, 21:00 Puerto Rico
 * in winter). Guam, the Northern Marianas and American Samoa are left out: including them would
 * shrink the window to 18:00–20:00 Eastern.
 */
export function quietHoursZoneFallback(quietHours: HourRange = TCPA_HOURS): HourRange & { timeZone: string } {
  return {
    timeZone: EASTERN,
    startHour: quietHours.startHour + EASTERN_AHEAD_OF_HAWAII_HOURS,
    endHour: quietHours.endHour - ATLANTIC_AHEAD_OF_EASTERN_HOURS,
  };
}

/** What the spec calls "a window inside 08:00–21:00 in every US zone". */
export const UNKNOWN_ZONE_SMS_WINDOW = quietHoursZoneFallback();

/** One condition an instant must meet, evaluated in its own zone. */
interface Constraint {
  zone: IANAZone;
  startHour: number;
  endHour: number;
  days: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
}

function ianaZone(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`Unknown time zone: ${name}`);
  return zone;
}

function checkHours(what: string, hours: HourRange): void {
  if (hours.startHour >= hours.endHour) {
    throw new NoSendWindowError("empty-hours", `${what} ${hours.startHour}–${hours.endHour} is empty`);
  }
}

function windowConstraint(window: WindowRule, zone: IANAZone): Constraint {
  const days = new Set(window.days.filter((day) => ALL_DAYS.has(day)));
  if (days.size === 0) throw new NoSendWindowError("no-days", "the follow-up window allows no weekday");
  checkHours("the follow-up window", window);
  const { startHour, endHour } = window;
  return { zone, startHour, endHour, days, holidays: new Set(window.holidays) };
}

function quietConstraint(rules: SendRules, quietHours: HourRange, zone: IANAZone): Constraint {
  // An unknown zone could be any US zone: only hours that are quiet-safe in all of them will do.
  const hours = rules.timeZone === null ? quietHoursZoneFallback(quietHours) : quietHours;
  checkHours("quiet hours", hours);
  const quietZone = rules.timeZone === null ? ianaZone(EASTERN) : zone;
  return {
    zone: quietZone,
    startHour: hours.startHour,
    endHour: hours.endHour,
    days: ALL_DAYS,
    holidays: new Set(),
  };
}

function checkOverlap(constraints: Constraint[]): void {
  const [first, second] = constraints;
  if (first === undefined || second === undefined || !first.zone.equals(second.zone)) return;
  if (Math.max(first.startHour, second.startHour) >= Math.min(first.endHour, second.endHour)) {
    throw new NoSendWindowError(
      "window-and-quiet-hours-never-overlap",
      `the follow-up window ${first.startHour}–${first.endHour} and quiet hours ${second.startHour}–${second.endHour} never overlap`,
    );
  }
}

function constraintsOf(rules: SendRules): Constraint[] {
  const zone = ianaZone(rules.timeZone ?? rules.defaultTimeZone);
  const constraints: Constraint[] = [];
  if (rules.window !== undefined) constraints.push(windowConstraint(rules.window, zone));
  if (rules.quietHours !== undefined) constraints.push(quietConstraint(rules, rules.quietHours, zone));
  checkOverlap(constraints);
  return constraints;
}

function dateAllowed(constraint: Constraint, date: DateTime): boolean {
  return constraint.days.has(date.weekday) && !constraint.holidays.has(date.toISODate() ?? "");
}

function contains(constraint: Constraint, ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone: constraint.zone });
  return (
    local.hour >= constraint.startHour && local.hour < constraint.endHour && dateAllowed(constraint, local)
  );
}

/** The instant a zone's offset changes, somewhere in (lo, hi]. */
function transitionBetween(zone: IANAZone, lo: number, hi: number): number {
  const after = zone.offset(hi);
  let [low, high] = [lo, hi];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zone.offset(mid) === after) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * The first instant whose local wall time on `date` is `hour`:00 or later: the first occurrence
 * when the clock falls back over it, the end of the gap when the clock springs forward over it.
 * Luxon's own wall-time lookup guesses ambiguous times from today's offset, so we resolve them here.
 */
function firstInstantAtOrAfter(zone: IANAZone, date: DateTime, hour: number): number {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour);
  const offsets = [zone.offset(wallAsUtc - DAY_MS), zone.offset(wallAsUtc + DAY_MS)];
  const instants = offsets.map((offset) => wallAsUtc - offset * MINUTE_MS);
  const valid = instants.filter((ms, i) => zone.offset(ms) === offsets[i]);
  if (valid.length > 0) return Math.min(...valid);
  return transitionBetween(zone, Math.min(...instants), Math.max(...instants));
}

/** The earliest instant after `ms` inside the constraint, or Infinity past the horizon. */
function nextOpening(constraint: Constraint, ms: number): number {
  const local = DateTime.fromMillis(ms, { zone: constraint.zone });
  // Calendar stepping in UTC, so a DST change can never skip or repeat a date.
  const firstDate = DateTime.utc(local.year, local.month, local.day);
  for (let k = 0; k <= HORIZON_DAYS; k++) {
    const date = firstDate.plus({ days: k });
    if (!dateAllowed(constraint, date)) continue;
    const opening = firstInstantAtOrAfter(constraint.zone, date, constraint.startHour);
    if (opening > ms && contains(constraint, opening)) return opening;
  }
  return Number.POSITIVE_INFINITY;
}

/** Whether a message may go out at `at` under the rules. */
export function isAllowedAt(at: Date, rules: SendRules): boolean {
  const ms = at.getTime();
  return constraintsOf(rules).every((constraint) => contains(constraint, ms));
}

/**
 * The earliest instant at or after `at` inside the follow-up window and the quiet hours, both in
 * the lead's zone (the org's for the window when unknown). `at` itself when it is already inside;
 * otherwise an opening, exactly on the local hour (or the end of a DST gap).
 */
export function nextAllowedTime(at: Date, rules: SendRules): Date {
  const constraints = constraintsOf(rules);
  const start = at.getTime();
  const limit = start + (HORIZON_DAYS + 1) * DAY_MS;
  let ms = start;
  while (ms <= limit) {
    const closed = constraints.filter((constraint) => !contains(constraint, ms));
    if (closed.length === 0) return new Date(ms);
    // Each closed constraint stays closed until its next opening, so nothing before the latest one can do.
    ms = Math.max(...closed.map((constraint) => nextOpening(constraint, ms)));
  }
  throw new NoSendWindowError("no-opening-within-a-year", `nothing allowed within ${HORIZON_DAYS} days`);
}
