import { DateTime } from "luxon";
import { toIso } from "../../clock.js";
import type { DomainContext } from "../context.js";
import {
  countFinishedDeliveries,
  countLiveLeads,
  countOptOuts,
  countSentAndReplies,
  countUnknownMessages,
} from "./statsQueries.js";

const WEEK_MS = 7 * 24 * 3_600_000;

export interface Overview {
  /** When the numbers were taken; "7 days" means the 7 × 24 hours before it, "today" the UTC date. */
  asOf: string;
  leads: number;
  messagesSentToday: number;
  messagesSent7d: number;
  /** Of the leads sent a message in 7 days, the share that wrote back after it; null when none. */
  replyRate7d: number | null;
  optOuts7d: number;
  /** Succeeded among the deliveries finished (succeeded or failed for good) in 7 days; null when none. */
  webhookSuccessRate7d: number | null;
  unknownMessages: number;
}

/** The overview's tiles for one org; the queries run side by side where the backend allows. */
export async function getOverview(ctx: DomainContext, orgId: string): Promise<Overview> {
  const now = ctx.clock.now();
  const weekAgo = toIso(new Date(now.getTime() - WEEK_MS));
  // Always inside the 7 days, so one pass over them counts today's sends too.
  const today = toIso(DateTime.fromJSDate(now, { zone: "utc" }).startOf("day").toJSDate());
  const [leads, sent, optOuts7d, deliveries, unknownMessages] = await Promise.all([
    countLiveLeads(ctx.db, orgId),
    countSentAndReplies(ctx.db, orgId, weekAgo, today),
    countOptOuts(ctx.db, orgId, weekAgo),
    countFinishedDeliveries(ctx.db, orgId, weekAgo),
    countUnknownMessages(ctx.db, orgId),
  ]);
  return {
    asOf: toIso(now),
    leads,
    messagesSentToday: sent.sentToday,
    messagesSent7d: sent.sent,
    replyRate7d: sent.messaged === 0 ? null : sent.replied / sent.messaged,
    optOuts7d,
    webhookSuccessRate7d: deliveries.finished === 0 ? null : deliveries.succeeded / deliveries.finished,
    unknownMessages,
  };
}
