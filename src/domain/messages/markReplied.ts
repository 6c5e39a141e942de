import { toIso } from "../../clock.js";
import type { Tx } from "../context.js";
import { leadTaggedData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { leadStamp } from "../syncClock.js";
import type { LeadContact } from "./optOuts.js";

/**
 * A reply from the lead: pending follow-ups stop, and the first reply sets `hasReplied` (the
 * built-in tag, with its `leadTagged` event).
 */
export async function markReplied(
  tx: Tx,
  emit: Emit,
  lead: LeadContact & { hasReplied: boolean },
  channel: "sms" | "email",
  now: Date,
): Promise<void> {
  const at = toIso(now);
  await tx
    .updateTable("leads")
    .set({
      has_replied: 1,
      next_follow_up_at: null,
      last_activity_at: at,
      ...(await leadStamp(tx, lead.orgId, lead.leadId, now)),
    })
    .where("id", "=", lead.leadId)
    .execute();
  if (lead.hasReplied) return;
  const tag = await tx
    .selectFrom("tags")
    .select("id")
    .where("org_id", "=", lead.orgId)
    .where("name", "=", "hasReplied")
    .executeTakeFirst();
  if (tag) {
    await tx
      .insertInto("lead_tags")
      .values({ lead_id: lead.leadId, tag_id: tag.id, org_id: lead.orgId, created_at: at })
      .onConflict((oc) => oc.columns(["lead_id", "tag_id"]).doNothing())
      .execute();
  }
  await emit({
    orgId: lead.orgId,
    leadId: lead.leadId,
    type: "leadTagged",
    at: now,
    data: leadTaggedData({ lead, channel, tag: "hasReplied" }),
  });
}
