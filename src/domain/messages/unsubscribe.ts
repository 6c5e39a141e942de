import type { DomainContext, Tx } from "../context.js";
import { DomainError } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import { isOptedOut, leadContact, type OptOutChannel, optOut } from "./optOuts.js";

export interface UnsubscribeTarget {
  channel: OptOutChannel;
  /** The address the link was sent to, masked: the page is public and the link may be forwarded. */
  contact: string;
  alreadyUnsubscribed: boolean;
}

const CHANNELS: readonly string[] = ["sms", "email", "call"] satisfies OptOutChannel[];

function isChannel(value: string): value is OptOutChannel {
  return CHANNELS.includes(value);
}

/** "zoe@example.com" → "z••@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "••••";
  return `${email.slice(0, 1)}••@${email.slice(at + 1)}`;
}

/** "+12025550189" → "•••••••0189". */
export function maskPhone(phone: string): string {
  return `${"•".repeat(Math.max(phone.length - 4, 0))}${phone.slice(-4)}`;
}

async function tokenLead(tx: Tx, token: string) {
  // Deleted leads keep their links working: an unsubscribe must never fail for the recipient.
  const row = await tx
    .selectFrom("unsubscribe_tokens")
    .innerJoin("leads", "leads.id", "unsubscribe_tokens.lead_id")
    .select([
      "unsubscribe_tokens.channel",
      "leads.id",
      "leads.org_id",
      "leads.phone",
      "leads.email",
      "leads.external_lead_id",
    ])
    .where("unsubscribe_tokens.token", "=", token)
    .executeTakeFirst();
  if (row === undefined || !isChannel(row.channel))
    throw new DomainError("NOT_FOUND", "Unknown unsubscribe link.");
  return { ...row, channel: row.channel };
}

function maskedContact(row: { channel: OptOutChannel; email: string | null; phone: string }): string {
  return row.channel === "email" && row.email !== null ? maskEmail(row.email) : maskPhone(row.phone);
}

/** What the confirmation page shows; reading it changes nothing (link scanners open links). */
export async function unsubscribeTarget(ctx: DomainContext, token: string): Promise<UnsubscribeTarget> {
  const row = await tokenLead(ctx.db, token);
  return {
    channel: row.channel,
    contact: maskedContact(row),
    alreadyUnsubscribed: await isOptedOut(ctx.db, row.id, row.channel),
  };
}

/** The link's one-click POST: opts the lead out of the link's channel. Idempotent. */
export async function unsubscribeByToken(
  ctx: DomainContext,
  token: string,
): Promise<{ channel: OptOutChannel; contact: string }> {
  return inTransaction(ctx, async (tx, emit) => {
    const row = await tokenLead(tx, token);
    const settings = await loadSettings(tx, row.org_id);
    await optOut(
      tx,
      emit,
      leadContact(row),
      {
        channel: row.channel,
        reason: row.channel === "email" ? "UNSUBSCRIBE_LINK" : null,
        isTwilioOptOut: row.channel === "sms" ? false : null,
        isDoNotContact: false,
        linked: settings.linkedOptOut,
      },
      ctx.clock.now(),
    );
    return { channel: row.channel, contact: maskedContact(row) };
  });
}
