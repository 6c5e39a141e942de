import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  isAllowedAt,
  NoSendWindowError,
  nextAllowedTime,
  quietHoursZoneFallback,
  type SendRules,
  UNKNOWN_ZONE_SMS_WINDOW,
  US_ZONES_COVERED,
} from "./sendWindow.js";

const WEEKDAYS = [1, 2, 3, 4, 5];
const NINE_TO_EIGHT = { startHour: 9, endHour: 20, days: WEEKDAYS, holidays: [] };
const TCPA = { startHour: 8, endHour: 21 };

/** A wall time in a zone, e.g. local("America/Chicago", "2024-01-12T19:55"). */
function local(zone: string, wall: string): Date {
  return DateTime.fromISO(wall, { zone }).toJSDate();
}

function rulesIn(zone: string, rules: Partial<SendRules> = {}): SendRules {
  return { window: NINE_TO_EIGHT, timeZone: zone, defaultTimeZone: "UTC", ...rules };
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("nextAllowedTime: the window", () => {
  it("waits from Friday evening to Monday 09:00 in the lead's zone", () => {
    const rules = rulesIn("America/Chicago");
    // 19:55 is still inside a window ending at 20: the hour must reach endHour to close it.
    const friday = local("America/Chicago", "2024-01-12T19:55");
    expect(nextAllowedTime(friday, rules)).toEqual(friday);
    const due = nextAllowedTime(local("America/Chicago", "2024-01-12T20:55"), rules);
    expect(due.toISOString()).toBe("2024-01-15T15:00:00.000Z");
    expect(nextAllowedTime(local("America/Chicago", "2024-01-12T20:00"), rules)).toEqual(due);
  });

  it("keeps Monday 09:00 local across the spring-forward weekend", () => {
    const due = nextAllowedTime(local("America/New_York", "2024-03-08T20:55"), rulesIn("America/New_York"));
    expect(due).toEqual(local("America/New_York", "2024-03-11T09:00"));
    expect(due.toISOString()).toBe("2024-03-11T13:00:00.000Z");
  });

  it("skips a holiday to the next allowed day", () => {
    const window = { ...NINE_TO_EIGHT, holidays: ["2024-01-15"] };
    const due = nextAllowedTime(
      local("America/Chicago", "2024-01-12T20:55"),
      rulesIn("America/Chicago", { window }),
    );
    expect(due).toEqual(local("America/Chicago", "2024-01-16T09:00"));
  });

  it("opens the same day when the window opens later that day, not the next day", () => {
    const rules = rulesIn("Europe/Paris");
    expect(nextAllowedTime(local("Europe/Paris", "2024-01-16T03:00"), rules)).toEqual(
      local("Europe/Paris", "2024-01-16T09:00"),
    );
    expect(nextAllowedTime(local("Europe/Paris", "2024-01-16T20:00"), rules)).toEqual(
      local("Europe/Paris", "2024-01-17T09:00"),
    );
  });

  it("returns the same instant when already inside, to the second", () => {
    const rules = rulesIn("America/New_York");
    const inside = local("America/New_York", "2024-01-16T19:59:30.250");
    expect(nextAllowedTime(inside, rules)).toEqual(inside);
    expect(nextAllowedTime(local("America/New_York", "2024-01-16T09:00"), rules)).toEqual(
      local("America/New_York", "2024-01-16T09:00"),
    );
  });

  it("uses the lead's zone when known, else the org's default zone", () => {
    const at = new Date("2024-01-15T13:00:00Z"); // Monday 08:00 Eastern, 05:00 Pacific
    const rules = { window: NINE_TO_EIGHT, defaultTimeZone: "America/New_York" };
    expect(nextAllowedTime(at, { ...rules, timeZone: "America/Los_Angeles" }).toISOString()).toBe(
      "2024-01-15T17:00:00.000Z",
    );
    expect(nextAllowedTime(at, { ...rules, timeZone: null }).toISOString()).toBe("2024-01-15T14:00:00.000Z");
  });

  it("allows any time without a window or quiet hours", () => {
    const at = new Date("2024-01-14T03:00:00Z");
    expect(nextAllowedTime(at, { timeZone: null, defaultTimeZone: "UTC" })).toEqual(at);
  });
});

describe("nextAllowedTime: quiet hours", () => {
  it("narrows a wider window", () => {
    const rules = rulesIn("America/Denver", {
      window: { startHour: 7, endHour: 22, days: WEEKDAYS, holidays: [] },
      quietHours: TCPA,
    });
    expect(nextAllowedTime(local("America/Denver", "2024-01-16T06:30"), rules)).toEqual(
      local("America/Denver", "2024-01-16T08:00"),
    );
    expect(nextAllowedTime(local("America/Denver", "2024-01-16T21:00"), rules)).toEqual(
      local("America/Denver", "2024-01-17T08:00"),
    );
    expect(isAllowedAt(local("America/Denver", "2024-01-16T20:59:59"), rules)).toBe(true);
  });

  it("applies alone, every day, when there is no window", () => {
    const rules: SendRules = { quietHours: TCPA, timeZone: "Asia/Tokyo", defaultTimeZone: "UTC" };
    expect(nextAllowedTime(local("Asia/Tokyo", "2024-01-13T22:10"), rules)).toEqual(
      local("Asia/Tokyo", "2024-01-14T08:00"),
    );
  });

  it("falls back to hours safe in every US zone when the lead's zone is unknown", () => {
    const rules: SendRules = {
      window: NINE_TO_EIGHT,
      quietHours: TCPA,
      timeZone: null,
      defaultTimeZone: "America/Los_Angeles",
    };
    // 09:00 Pacific is 12:00 Eastern: too early for Hawaii, so 14:00 Eastern = 11:00 Pacific.
    expect(nextAllowedTime(local("America/Los_Angeles", "2024-01-15T09:00"), rules)).toEqual(
      local("America/Los_Angeles", "2024-01-15T11:00"),
    );
    // 17:00 Pacific is 20:00 Eastern, past the fallback's end: next day 11:00 Pacific.
    expect(nextAllowedTime(local("America/Los_Angeles", "2024-01-15T17:00"), rules)).toEqual(
      local("America/Los_Angeles", "2024-01-16T11:00"),
    );
  });
});

describe("nextAllowedTime: DST", () => {
  const everyDay = (startHour: number, endHour: number) => ({
    startHour,
    endHour,
    days: [1, 2, 3, 4, 5, 6, 7],
    holidays: [],
  });

  it("opens at the end of the gap when the opening hour does not exist (New York, spring forward)", () => {
    const rules = rulesIn("America/New_York", { window: everyDay(2, 5) });
    const due = nextAllowedTime(new Date("2024-03-10T06:30:00Z"), rules); // 01:30 EST
    expect(due.toISOString()).toBe("2024-03-10T07:00:00.000Z"); // 03:00 EDT
  });

  it("skips a day whose whole window falls in the gap", () => {
    const rules = rulesIn("America/New_York", { window: { ...everyDay(2, 3), days: [7] } });
    const due = nextAllowedTime(new Date("2024-03-10T06:30:00Z"), rules);
    expect(due).toEqual(local("America/New_York", "2024-03-17T02:00"));
  });

  it("opens at the first occurrence of a repeated hour (New York, fall back)", () => {
    const rules = rulesIn("America/New_York", { window: everyDay(1, 5) });
    expect(nextAllowedTime(new Date("2024-11-03T04:30:00Z"), rules).toISOString()).toBe(
      "2024-11-03T05:00:00.000Z", // 01:00 EDT, not 01:00 EST an hour later
    );
    const afterRepeat = rulesIn("America/New_York", { window: everyDay(2, 5) });
    expect(nextAllowedTime(new Date("2024-11-03T04:30:00Z"), afterRepeat).toISOString()).toBe(
      "2024-11-03T07:00:00.000Z", // 02:00 EST, after both 01:00s
    );
  });

  it("handles London's spring forward and fall back", () => {
    const spring = rulesIn("Europe/London", { window: everyDay(1, 5) });
    expect(nextAllowedTime(new Date("2024-03-31T00:30:00Z"), spring).toISOString()).toBe(
      "2024-03-31T01:00:00.000Z", // 02:00 BST: 01:00 never happened
    );
    const fall = rulesIn("Europe/London", { window: everyDay(1, 5) });
    expect(nextAllowedTime(new Date("2024-10-26T23:30:00Z"), fall).toISOString()).toBe(
      "2024-10-27T00:00:00.000Z", // the first 01:00, BST
    );
  });

  it("opens mid-hour after a gap that does not end on the hour (Lord Howe, 30-minute DST)", () => {
    const rules = rulesIn("Australia/Lord_Howe", { window: everyDay(2, 5) });
    const due = nextAllowedTime(local("Australia/Lord_Howe", "2024-10-06T01:00"), rules);
    expect(DateTime.fromJSDate(due, { zone: "Australia/Lord_Howe" }).toFormat("yyyy-MM-dd HH:mm ZZ")).toBe(
      "2024-10-06 02:30 +11:00",
    );
  });
});

describe("nextAllowedTime: impossible rules", () => {
  it.each([
    ["no-days", rulesIn("UTC", { window: { ...NINE_TO_EIGHT, days: [] } })],
    ["empty-hours", rulesIn("UTC", { window: { ...NINE_TO_EIGHT, startHour: 20, endHour: 20 } })],
    ["window-and-quiet-hours-never-overlap", rulesIn("UTC", { quietHours: { startHour: 20, endHour: 21 } })],
    [
      "no-opening-within-a-year",
      rulesIn("UTC", {
        window: {
          ...NINE_TO_EIGHT,
          holidays: Array.from(
            { length: 400 },
            (_, i) => DateTime.utc(2024, 1, 1).plus({ days: i }).toISODate() ?? "",
          ),
        },
      }),
    ],
    [
      // A Berlin business day never meets 14:00–20:00 Eastern (20:00–02:00 Berlin).
      "no-opening-within-a-year",
      {
        ...rulesIn("UTC"),
        window: { ...NINE_TO_EIGHT, endHour: 17 },
        quietHours: TCPA,
        timeZone: null,
        defaultTimeZone: "Europe/Berlin",
      },
    ],
  ])("%s", (reason, rules) => {
    const error = catchError(() => nextAllowedTime(new Date("2024-01-01T00:00:00Z"), rules));
    expect(error).toBeInstanceOf(NoSendWindowError);
    expect(error).toMatchObject({ reason });
  });

  it("refuses an unknown zone", () => {
    expect(() => nextAllowedTime(new Date(), rulesIn("Mars/Olympus_Mons"))).toThrow(RangeError);
  });
});

describe("quietHoursZoneFallback", () => {
  it("is 14:00–20:00 Eastern for the TCPA floor", () => {
    expect(quietHoursZoneFallback()).toEqual({ timeZone: "America/New_York", startHour: 14, endHour: 20 });
    expect(UNKNOWN_ZONE_SMS_WINDOW).toEqual(quietHoursZoneFallback());
  });

  it("lies inside the org's quiet hours in every covered US zone, every hour of a year", () => {
    // For each Eastern hour, the earliest and latest local hour seen in any covered zone.
    const earliest = new Map<number, number>();
    const latest = new Map<number, number>();
    for (let ms = Date.UTC(2025, 0, 1, 0, 30); ms < Date.UTC(2026, 0, 1); ms += 3_600_000) {
      const eastern = DateTime.fromMillis(ms, { zone: "America/New_York" }).hour;
      for (const zone of US_ZONES_COVERED) {
        const hour = DateTime.fromMillis(ms, { zone }).hour;
        earliest.set(eastern, Math.min(earliest.get(eastern) ?? 24, hour));
        latest.set(eastern, Math.max(latest.get(eastern) ?? -1, hour));
      }
    }
    for (let startHour = 8; startHour <= 20; startHour++) {
      for (let endHour = startHour + 1; endHour <= 21; endHour++) {
        const fallback = quietHoursZoneFallback({ startHour, endHour });
        for (let eastern = fallback.startHour; eastern < fallback.endHour; eastern++) {
          expect(earliest.get(eastern)).toBeGreaterThanOrEqual(startHour);
          expect(latest.get(eastern)).toBeLessThan(endHour);
        }
      }
    }
  });
});

const PROPERTY_ZONES = [
  "UTC",
  "America/New_York",
  "America/Los_Angeles",
  "Pacific/Honolulu",
  "Europe/London",
  "Europe/Berlin",
  "Asia/Kolkata",
  "America/St_Johns",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/Santiago",
  "Asia/Tokyo",
];

const rulesArbitrary = fc.record({
  zone: fc.constantFrom(...PROPERTY_ZONES),
  leadZoneKnown: fc.boolean(),
  window: fc.option(
    fc.integer({ min: 0, max: 23 }).chain((startHour) =>
      fc.record({
        startHour: fc.constant(startHour),
        endHour: fc.integer({ min: startHour + 1, max: 24 }),
        days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        holidayOffsets: fc.uniqueArray(fc.integer({ min: -1, max: 20 }), { maxLength: 10 }),
      }),
    ),
    { nil: undefined },
  ),
  quietHours: fc.option(
    fc.integer({ min: 8, max: 20 }).chain((startHour) =>
      fc.record({
        startHour: fc.constant(startHour),
        endHour: fc.integer({ min: startHour + 1, max: 21 }),
      }),
    ),
    { nil: undefined },
  ),
});

/** Days when some PROPERTY_ZONES change offset, where off-by-an-hour bugs live. */
const TRANSITION_DAYS = [
  "2024-03-10",
  "2024-11-03",
  "2024-03-31",
  "2024-10-27",
  "2024-04-07",
  "2024-10-06",
  "2024-09-29",
  "2024-04-06",
  "2024-09-08",
];

const atArbitrary = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map((ms) => new Date(ms)),
  fc
    .tuple(fc.constantFrom(...TRANSITION_DAYS), fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }))
    .map(([day, shift]) => new Date(Date.parse(`${day}T00:00:00Z`) + shift)),
);

type Generated = typeof rulesArbitrary extends fc.Arbitrary<infer T> ? T : never;

function sample(at: Date, generated: Generated): SendRules {
  const { zone, leadZoneKnown, window, quietHours } = generated;
  const day = DateTime.fromJSDate(at, { zone }).startOf("day");
  return {
    window:
      window === undefined
        ? undefined
        : {
            startHour: window.startHour,
            endHour: window.endHour,
            days: window.days,
            holidays: window.holidayOffsets.map((offset) => day.plus({ days: offset }).toISODate() ?? ""),
          },
    quietHours,
    timeZone: leadZoneKnown ? zone : null,
    defaultTimeZone: zone,
  };
}

/** Same zone and overlapping hours: some opening must exist within a few weeks. */
function surelySatisfiable(rules: SendRules): boolean {
  if (rules.quietHours === undefined) return true;
  // The unknown-zone fallback is Eastern and narrower: it may miss the window, or be empty.
  if (rules.timeZone === null) return false;
  if (rules.window === undefined) return true;
  return (
    Math.max(rules.window.startHour, rules.quietHours.startHour) <
    Math.min(rules.window.endHour, rules.quietHours.endHour)
  );
}

describe("nextAllowedTime: properties", () => {
  it("returns the earliest allowed instant at or after `at`", () => {
    fc.assert(
      fc.property(atArbitrary, rulesArbitrary, (at, generated) => {
        const rules = sample(at, generated);
        let due: Date;
        try {
          due = nextAllowedTime(at, rules);
        } catch (error) {
          expect(error).toBeInstanceOf(NoSendWindowError);
          expect(surelySatisfiable(rules)).toBe(false);
          return;
        }
        expect(due.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isAllowedAt(due, rules)).toBe(true);
        if (due.getTime() === at.getTime()) return;
        expect(due.getTime() % 60_000).toBe(0);
        expect(isAllowedAt(at, rules)).toBe(false);
        const minuteBefore = new Date(due.getTime() - 60_000);
        if (minuteBefore > at) expect(isAllowedAt(minuteBefore, rules)).toBe(false);
        const span = due.getTime() - at.getTime();
        for (let i = 1; i < 20; i++) {
          expect(isAllowedAt(new Date(at.getTime() + Math.floor((span * i) / 20)), rules)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
