import { toIso } from "../../clock.js";
import type { Tx } from "../context.js";
import type { OptOutChannel } from "./optOuts.js";

/**
 * A STOP from a phone that no lead of the org has yet: kept per (org, phone, channel), and
 * checked at send time (prepareSend.ts), so a lead created later with that phone is never texted.
 * Not the do-not-contact list: a STOP opts out of SMS (of every channel only with linked
 * opt-out), while do-not-contact stops all contact and has its own API and events.
 */
export async function optOutPhone(
  tx: Tx,
  orgId: string,
  phone: string,
  channels: readonly OptOutChannel[],
  messageSid: string,
  now: Date,
): Promise<void> {
  for (const channel of channels) {
    await tx
      .insertInto("phone_opt_outs")
      .values({ org_id: orgId, phone, channel, message_sid: messageSid, created_at: toIso(now) })
      .onConflict((oc) => oc.columns(["org_id", "phone", "channel"]).doNothing())
      .execute();
  }
}

/** START from the phone: its phone-level opt-out on that channel ends. Returns whether there was one. */
export async function optInPhone(
  tx: Tx,
  orgId: string,
  phone: string,
  channel: OptOutChannel,
): Promise<boolean> {
  const deleted = await tx
    .deleteFrom("phone_opt_outs")
    .where("org_id", "=", orgId)
    .where("phone", "=", phone)
    .where("channel", "=", channel)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
