import { toIso } from "../../clock.js";
import type { Tx } from "../context.js";
import { doNotContactData, type LeadRef, type OptOutReason, optOutData } from "../events/catalog.js";
import type { Emit } from "../events/transaction.js";
import { cancelPendingStep } from "../followups/sequence.js";
import { leadStamp } from "../syncClock.js";

export type OptOutChannel = "sms" | "email" | "call";

export interface LeadContact extends LeadRef {
  orgId: string;
  email: string | null;
}

export function leadContact(row: {
  id: string;
  org_id: string;
  phone: string;
  email: string | null;
  external_lead_id: string | null;
}): LeadContact {
  return {
    leadId: row.id,
    orgId: row.org_id,
    phone: row.phone,
    email: row.email,
    externalLeadId: row.external_lead_id,
  };
}

export async function isOptedOut(tx: Tx, leadId: string, channel: OptOutChannel): Promise<boolean> {
  const row = await tx
    .selectFrom("lead_opt_outs")
    .select("channel")
    .where("lead_id", "=", leadId)
    .where("channel", "=", channel)
    .executeTakeFirst();
  return row !== undefined;
}

async function refreshUnsubscribed(tx: Tx, orgId: string, leadId: string, now: Date): Promise<void> {
  const any = await tx
    .selectFrom("lead_opt_outs")
    .select("channel")
    .where("lead_id", "=", leadId)
    .executeTakeFirst();
  await tx
    .updateTable("leads")
    .set({ is_unsubscribed: any ? 1 : 0, ...(await leadStamp(tx, orgId, leadId, now)) })
    .where("id", "=", leadId)
    .execute();
}

/** Queued sends on that channel will never be allowed: they end as blocked, now. */
async function cancelQueued(tx: Tx, leadId: string, channel: OptOutChannel, reason: string, now: Date) {
  if (channel === "call") return;
  await tx
    .updateTable("messages")
    .set({ status: "blocked", blocked_reason: reason, due_at: null, updated_at: toIso(now) })
    .where("lead_id", "=", leadId)
    .where("channel", "=", channel)
    .where("status", "=", "queued")
    .execute();
}

export interface OptOutInput {
  channel: OptOutChannel;
  reason: OptOutReason | null;
  isTwilioOptOut: boolean | null;
  optOutMessage?: string;
  isDoNotContact: boolean;
  /** Settings' linked opt-out: one channel's opt-out opts out of all. */
  linked: boolean;
}

/**
 * Opts the lead out of a channel (and, when linked, of the others), emitting one `optOut` per
 * channel that was not already opted out, and cancelling what was queued there. Idempotent.
 */
export async function optOut(
  tx: Tx,
  emit: Emit,
  lead: LeadContact,
  input: OptOutInput,
  now: Date,
): Promise<number> {
  const channels: OptOutChannel[] = input.linked
    ? [input.channel, ...(["sms", "email"] as const).filter((c) => c !== input.channel)]
    : [input.channel];
  let emitted = 0;
  for (const channel of channels) {
    if (channel === "email" && lead.email === null) continue;
    const inserted = await tx
      .insertInto("lead_opt_outs")
      .values({
        lead_id: lead.leadId,
        channel,
        org_id: lead.orgId,
        reason: input.reason,
        created_at: toIso(now),
      })
      .onConflict((oc) => oc.columns(["lead_id", "channel"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    await cancelQueued(tx, lead.leadId, channel, `opted out of ${channel}`, now);
    if (channel !== "call") await cancelPendingStep(tx, lead.leadId, channel);
    const primary = channel === input.channel;
    await emit({
      orgId: lead.orgId,
      leadId: lead.leadId,
      type: "optOut",
      at: now,
      data: optOutData({
        lead,
        channel,
        optOutReason: channel === "email" ? (input.reason ?? "MANUAL") : null,
        isTwilioOptOut: channel === "sms" ? (primary ? input.isTwilioOptOut : false) : null,
        ...(primary && input.optOutMessage !== undefined ? { optOutMessage: input.optOutMessage } : {}),
        isDoNotContact: input.isDoNotContact,
      }),
    });
    emitted++;
  }
  await refreshUnsubscribed(tx, lead.orgId, lead.leadId, now);
  return emitted;
}

/** START and friends: the lead may be texted again (do-not-contact still wins at send time). */
export async function optIn(tx: Tx, lead: LeadContact, channel: OptOutChannel, now: Date): Promise<void> {
  await tx
    .deleteFrom("lead_opt_outs")
    .where("lead_id", "=", lead.leadId)
    .where("channel", "=", channel)
    .execute();
  await refreshUnsubscribed(tx, lead.orgId, lead.leadId, now);
}

/**
 * A request to stop all contact: the phone goes on the do-not-contact list, `doNotContact` is
 * emitted first, then one `optOut` per channel the lead was reachable on.
 */
export async function doNotContact(
  tx: Tx,
  emit: Emit,
  lead: LeadContact,
  optOutMessage: string | null,
  now: Date,
): Promise<void> {
  await tx
    .insertInto("dnc")
    .values({ org_id: lead.orgId, phone: lead.phone, created_at: toIso(now) })
    .onConflict((oc) => oc.columns(["org_id", "phone"]).doNothing())
    .execute();
  await emit({
    orgId: lead.orgId,
    leadId: lead.leadId,
    type: "doNotContact",
    at: now,
    data: doNotContactData({ lead, email: lead.email, optOutMessage }),
  });
  for (const channel of ["sms", "email"] as const) {
    await optOut(
      tx,
      emit,
      lead,
      {
        channel,
        reason: channel === "email" ? "MANUAL" : null,
        isTwilioOptOut: channel === "sms" ? false : null,
        ...(optOutMessage === null ? {} : { optOutMessage }),
        isDoNotContact: true,
        linked: false,
      },
      now,
    );
  }
}
