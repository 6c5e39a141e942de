import { toIso } from "../../clock.js";
import type { MessageStatus } from "../../db/schema.js";
import type { DomainContext } from "../context.js";
import { timelineData } from "../jsonColumns.js";

/** Provider statuses we keep, by how far along they are: a callback never moves a message back. */
const RANK: Record<string, { rank: number; status: MessageStatus | undefined }> = {
  accepted: { rank: 1, status: undefined },
  queued: { rank: 1, status: undefined },
  sending: { rank: 2, status: undefined },
  sent: { rank: 3, status: undefined },
  delivered: { rank: 5, status: "delivered" },
  undelivered: { rank: 5, status: "undelivered" },
  failed: { rank: 5, status: "failed" },
  read: { rank: 6, status: "delivered" },
};

/**
 * A provider's status callback. Deduplicated and order-safe: a status ranks above what is stored
 * or it changes nothing (Twilio may send `sent` after `delivered`, or the same callback twice).
 */
export async function applyDeliveryStatus(
  ctx: DomainContext,
  input: { provider: string; providerMessageId: string; status: string; errorCode?: string | undefined },
): Promise<"updated" | "ignored" | "unknown-message"> {
  const entry = RANK[input.status];
  return ctx.db.transaction().execute(async (tx) => {
    const message = await tx
      .selectFrom("messages")
      .select(["id", "provider_status_rank", "timeline_id", "status"])
      .where("provider", "=", input.provider)
      .where("provider_message_id", "=", input.providerMessageId)
      .executeTakeFirst();
    if (message === undefined) return "unknown-message";
    if (entry === undefined || entry.rank <= message.provider_status_rank) return "ignored";
    const now = toIso(ctx.clock.now());
    const status = entry.status ?? message.status;
    await tx
      .updateTable("messages")
      .set({
        provider_status_rank: entry.rank,
        status,
        ...(input.errorCode === undefined ? {} : { error_code: input.errorCode }),
        updated_at: now,
      })
      .where("id", "=", message.id)
      .where("provider_status_rank", "<", entry.rank)
      .execute();
    if (message.timeline_id !== null && entry.status !== undefined) {
      const timeline = await tx
        .selectFrom("timeline")
        .select("data")
        .where("id", "=", message.timeline_id)
        .executeTakeFirst();
      if (timeline) {
        const data = { ...timelineData.read(timeline.data, message.timeline_id), status };
        // Pollers read the timeline by updatedAt: a status change must show up for them.
        await tx
          .updateTable("timeline")
          .set({ data: JSON.stringify(data), updated_at: now })
          .where("id", "=", message.timeline_id)
          .execute();
      }
    }
    return "updated";
  });
}
