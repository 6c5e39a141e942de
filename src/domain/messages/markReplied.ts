import { toIso } from "../../clock.js";
import { type Backend, inJsonList } from "../../db/bulk.js";
import type { Tx } from "../context.js";
import { leadTaggedData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { leadStamp } from "../syncClock.js";
import type { LeadContact } from "./optOuts.js";

export type ReplyingLead = LeadContact & { hasReplied: boolean };

/**
 * A reply from the lead: pending follow-ups stop, and the first reply sets `hasReplied` (the
 * built-in tag, with its `leadTagged` event).
 */
export function markReplied(
  tx: Tx,
  backend: Backend,
  emit: Emit,
  lead: ReplyingLead,
  channel: "sms" | "email",
  now: Date,
): Promise<void> {
  return markRepliedMany(tx, backend, emit, [lead], channel, now);
}

/** markReplied for replies of many leads of one org: one update of all of them. Each lead appears once. */
export async function markRepliedMany(
  tx: Tx,
  backend: Backend,
  emit: Emit,
  leads: readonly ReplyingLead[],
  channel: "sms" | "email",
  now: Date,
): Promise<void> {
  const [first] = leads;
  if (first === undefined) return;
  const ids = leads.map((lead) => lead.leadId);
  const at = toIso(now);
  await tx
    .updateTable("leads")
    .set({
      has_replied: 1,
      next_follow_up_at: null,
      last_activity_at: at,
      ...(await leadStamp(tx, first.orgId, ids, now)),
    })
    .where((eb) => (leads.length === 1 ? eb("id", "=", first.leadId) : inJsonList(backend, "id", ids)))
    .execute();
  const firstReplies = leads.filter((lead) => !lead.hasReplied);
  if (firstReplies.length === 0) return;
  const tag = await tx
    .selectFrom("tags")
    .select("id")
    .where("org_id", "=", first.orgId)
    .where("name", "=", "hasReplied")
    .executeTakeFirst();
  for (const lead of firstReplies) {
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
}
