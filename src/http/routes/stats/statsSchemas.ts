import { z } from "zod";

const count = z.number().int().min(0);
const rate = z.number().min(0).max(1).nullable();

export const overviewSchema = z.object({
  asOf: z.string().describe("When the numbers were taken; 7 days are the 7 × 24 hours before it"),
  leads: count.describe("Live leads"),
  messagesSentToday: count.describe("Messages sent since 00:00 UTC today"),
  messagesSent7d: count.describe("Messages sent in the last 7 days"),
  replyRate7d: rate.describe(
    "Of the leads sent a message in the last 7 days, the share that replied after it (0..1); null when none was messaged",
  ),
  optOuts7d: count.describe("Opt-outs in the last 7 days"),
  webhookSuccessRate7d: rate.describe(
    "Succeeded among the webhook deliveries finished in the last 7 days (0..1); null when none finished",
  ),
  unknownMessages: count.describe("Messages in `unknown` waiting to be reconciled"),
});
export type Overview = z.output<typeof overviewSchema>;

export const DAYS = { min: 1, max: 90, default: 30 } as const;
export const HOURS = { min: 1, max: 168, default: 48 } as const;

export const dailyQuerySchema = z.strictObject({
  days: z.coerce
    .number()
    .int()
    .min(DAYS.min)
    .max(DAYS.max)
    .default(DAYS.default)
    .describe("How many UTC days, today included"),
});

export const dailySchema = z.object({
  days: z
    .array(
      z.object({
        date: z.string().describe("UTC date, YYYY-MM-DD"),
        sent: count.describe("Messages sent that day"),
        replies: count.describe("Messages received from leads that day"),
        optOuts: count.describe("Opt-outs that day"),
      }),
    )
    .describe("Every day of the range, oldest first, zeros included"),
});
export type DailyStats = z.output<typeof dailySchema>;

export const hourlyQuerySchema = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(HOURS.min)
    .max(HOURS.max)
    .default(HOURS.default)
    .describe("How many UTC hours, the current one included"),
  endpointId: z
    .string()
    .regex(/^whe_[0-9a-f]{32}$/, "must be a webhook endpoint id (whe_ and 32 lowercase hex characters)")
    .optional()
    .describe("Only deliveries to this webhook endpoint of the caller's org (404 when it is not one)"),
});

export const hourlySchema = z.object({
  hours: z
    .array(
      z.object({
        hour: z.string().describe("Start of the UTC hour, ISO 8601"),
        succeeded: count.describe("Deliveries that succeeded in that hour"),
        failed: count.describe("Deliveries that failed for good in that hour"),
      }),
    )
    .describe("Every hour of the range, oldest first, zeros included"),
});
export type HourlyDeliveries = z.output<typeof hourlySchema>;
