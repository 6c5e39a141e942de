import { toIso } from "../../clock.js";
import type { Tx } from "../context.js";
import { DomainError } from "../errors.js";
import type { Settings } from "./settingsSchema.js";

type SmsSenders = Settings["senders"]["sms"];

/** In this order, so two transactions claiming the same pair wait on each other instead of deadlocking. */
const FIELDS = ["from", "messagingServiceSid"] as const;

/** The org that owns a sending number or messaging service SID, if any. */
export async function smsSenderOwner(tx: Tx, sender: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("sms_senders")
    .select("org_id")
    .where("sender", "=", sender)
    .executeTakeFirst();
  return row?.org_id;
}

/**
 * Owners by sender for one batch of work in one transaction: each sender is read once.
 * Undefined: nobody owns it.
 */
export function smsSenderOwners(tx: Tx): (sender: string) => Promise<string | undefined> {
  const bySender = new Map<string, Promise<string | undefined>>();
  return (sender) => {
    let owner = bySender.get(sender);
    if (owner === undefined) {
      owner = smsSenderOwner(tx, sender);
      bySender.set(sender, owner);
    }
    return owner;
  };
}

/** Takes the sender for the org when nobody holds it; returns who holds it afterwards. */
async function claim(tx: Tx, orgId: string, sender: string, now: Date): Promise<string | undefined> {
  // The primary key decides a race: a concurrent claim waits for this one and then finds it taken.
  await tx
    .insertInto("sms_senders")
    .values({ sender, org_id: orgId, origin: "settings", created_at: toIso(now) })
    .onConflict((oc) => oc.column("sender").doNothing())
    .execute();
  return smsSenderOwner(tx, sender);
}

/**
 * Keeps `sms_senders` in step with an org's settings, inside the settings transaction: a sender
 * the org gives up is freed, a new one is claimed, and a new one another org holds is a 409
 * (the caller's transaction then rolls back, so nothing changes). A sender that did not change
 * is re-claimed if it is free, but never refused: an org that lost it (see 0007_sms_senders.ts)
 * can still change its other settings, while its sends stay blocked until it picks its own.
 */
export async function claimSmsSenders(
  tx: Tx,
  orgId: string,
  before: SmsSenders,
  after: SmsSenders,
  now: Date,
): Promise<void> {
  for (const field of FIELDS) {
    const old = before[field];
    const next = after[field];
    if (old !== null && old !== next) {
      // Only what the settings claimed: the server's own sender is not the org's to give up.
      await tx
        .deleteFrom("sms_senders")
        .where("sender", "=", old)
        .where("org_id", "=", orgId)
        .where("origin", "=", "settings")
        .execute();
    }
    if (next === null) continue;
    const owner = await claim(tx, orgId, next, now);
    if (owner !== orgId && old !== next) {
      const path = `senders.sms.${field}`;
      throw new DomainError(
        "CONFLICT",
        `${next} is another organisation's SMS sender: texts to it are routed there, so it cannot be yours too.`,
        [{ path, message: "belongs to another organisation" }],
      );
    }
  }
}
