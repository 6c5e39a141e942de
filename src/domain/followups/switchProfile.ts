import type { DomainContext } from "../context.js";
import { invalid } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { loadLiveLeadRow } from "../leads/leadView.js";
import { leadStamp } from "../syncClock.js";
import { queueInitialOutreach } from "./initialOutreach.js";
import { startSequence } from "./sequence.js";

export interface SwitchProfileInput {
  profile: string;
  sendMessage: boolean;
  messageDelayHours?: number | undefined;
  messageDelayMins?: number | undefined;
  clearMemory: boolean;
}

/**
 * Moves a lead to another profile; the new profile's follow-up config applies from now (a new
 * cycle). With `sendMessage`, the new profile's initial message goes out after the delay (hours
 * win over minutes) and the sequence starts when it is sent; without, step 1 is due from now.
 */
export async function switchCustomerProfile(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  input: SwitchProfileInput,
): Promise<void> {
  const queued = await inTransaction(ctx, async (tx) => {
    const lead = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    const profile = await tx
      .selectFrom("profiles")
      .select([
        "id",
        "initial_message",
        "initial_subject",
        "initial_outreach",
        "sms_enabled",
        "email_enabled",
      ])
      .where("org_id", "=", orgId)
      .where("name", "=", input.profile)
      .where("deleted_at", "is", null)
      .$if(ctx.capabilities.rowLocks, (query) => query.forShare())
      .executeTakeFirst();
    if (profile === undefined) throw invalid("profile", `no profile named "${input.profile}"`);
    if (input.sendMessage && profile.initial_message === null) {
      throw invalid("sendMessage", `profile "${input.profile}" has no initial message to send`);
    }
    const now = ctx.clock.now();
    // A per-lead override was written for the old profile: the new profile's config replaces it.
    await tx
      .updateTable("leads")
      .set({
        profile_id: profile.id,
        follow_up_config: null,
        next_follow_up_at: null,
        ...(await leadStamp(tx, orgId, leadId, now)),
      })
      .where("id", "=", leadId)
      .execute();
    if (!input.sendMessage) {
      await startSequence(tx, leadId, now);
      return false;
    }
    const delayMs =
      input.messageDelayHours !== undefined
        ? input.messageDelayHours * 3_600_000
        : (input.messageDelayMins ?? 0) * 60_000;
    return queueInitialOutreach(tx, ctx.capabilities, lead, profile, now, new Date(now.getTime() + delayMs));
  });
  if (queued) ctx.wakeMessageSender();
}
