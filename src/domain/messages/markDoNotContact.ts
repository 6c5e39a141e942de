import type { DomainContext, Tx } from "../context.js";
import { type Emit, inTransaction } from "../events/transaction.js";
import { loadLiveLeadRow } from "../leads/leadView.js";
import { doNotContact, leadContact } from "./optOuts.js";

/**
 * The lead asked to stop all contact: `doNotContact`, then one `optOut` per reachable channel,
 * and the phone on the list. An explicit request is announced each time it is made; the opt-outs
 * themselves are only emitted once.
 */
export async function markDoNotContact(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  optOutMessage: string | null,
): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    const row = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    await doNotContact(tx, emit, leadContact(row), optOutMessage, ctx.clock.now());
  });
}

/**
 * Inside a transaction: the live lead with that phone (if any) goes through the do-not-contact
 * flow. Returns whether there was one.
 */
export async function doNotContactPhoneIn(
  tx: Tx,
  emit: Emit,
  orgId: string,
  phone: string,
  now: Date,
): Promise<boolean> {
  const row = await tx
    .selectFrom("leads")
    .select(["id", "org_id", "phone", "email", "external_lead_id"])
    .where("org_id", "=", orgId)
    .where("phone", "=", phone)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (row === undefined) return false;
  await doNotContact(tx, emit, leadContact(row), null, now);
  return true;
}
