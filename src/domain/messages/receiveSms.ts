import { enqueueAssistantJob } from "../assistant/assistantJobs.js";
import type { DomainContext, Tx } from "../context.js";
import { type Emit, inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import type { Settings } from "../settings/settingsSchema.js";
import { smsSenderOwner } from "../settings/smsSenders.js";
import { classifyInbound, type InboundKeyword } from "./keywords.js";
import { markReplied } from "./markReplied.js";
import { leadContact, optIn, optOut } from "./optOuts.js";
import { optInPhone, optOutPhone } from "./phoneOptOuts.js";
import { queueMessage } from "./queueMessage.js";
import { inboundLeads, recordInbound } from "./recordInbound.js";
import { resolveRouted, storeUnrouted, type UnroutedMessage } from "./unroutedInbound.js";

export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  optOutType?: string | undefined;
  /** The request's MessagingServiceSid: routes a text to a service's number that no org named. */
  messagingServiceSid?: string | undefined;
  /** The provider's parameters as received, kept when the text reaches no lead. */
  params?: UnroutedMessage["params"] | undefined;
}

export type InboundResult =
  | {
      outcome: "lead";
      orgId: string;
      leadId: string;
      keyword: "stop" | "start" | "help" | null;
      duplicate: boolean;
    }
  /** No lead of the org has the phone, but the text was STOP or START: applied to the phone itself. */
  | { outcome: "phone"; orgId: string; keyword: "stop" | "start" }
  /** Stored in `unrouted_inbound` for an operator; the provider should retry. */
  | { outcome: "unrouted"; orgId: string | undefined; reason: string };

/** What the caller already knows of a text's org (the route, which checked the signature with it). */
export interface Routed {
  orgId: string | undefined;
  /**
   * The org's settings, read just before the text's transaction: a settings change racing the
   * text then applies as if it had come a moment later, as it might have anyway. Saves a read.
   */
  settings?: Settings | undefined;
}

export const PROVIDER = "twilio";

/**
 * The org a text belongs to: the one that owns the number it was sent to, else the one that
 * owns the messaging service it came through. Never a guess from the sender's phone: leads of
 * different orgs may share one.
 */
export async function routeInboundSms(
  ownerOf: (sender: string) => Promise<string | undefined>,
  to: string,
  messagingServiceSid: string | undefined,
): Promise<string | undefined> {
  const byNumber = await ownerOf(to);
  if (byNumber !== undefined || messagingServiceSid === undefined) return byNumber;
  return ownerOf(messagingServiceSid);
}

/** Who owns a sender, outside any transaction (read once per turn for all who ask: turnReads.ts). */
export function senderOwners(ctx: DomainContext): (sender: string) => Promise<string | undefined> {
  const shared = ctx.sharedReads;
  return shared === undefined
    ? (sender) => smsSenderOwner(ctx.db, sender)
    : (sender) => shared.smsSenderOwner.load(sender);
}

async function unrouted(
  tx: Tx,
  sms: InboundSms,
  orgId: string | undefined,
  reason: string,
  now: Date,
): Promise<InboundResult> {
  await storeUnrouted(tx, unroutedCopy(sms, orgId, reason, false), now);
  return { outcome: "unrouted", orgId, reason };
}

function unroutedCopy(
  sms: InboundSms,
  orgId: string | undefined,
  reason: string,
  resolved: boolean,
): UnroutedMessage {
  const params = sms.params ?? { MessageSid: sms.messageSid, From: sms.from, To: sms.to, Body: sms.body };
  return {
    provider: PROVIDER,
    messageSid: sms.messageSid,
    orgId,
    from: sms.from,
    to: sms.to,
    body: sms.body,
    params,
    reason,
    resolved,
  };
}

/**
 * A text to an org from a phone none of its leads has. A compliance keyword is never dropped: a
 * STOP opts the phone out in this org (a lead created with it later is never texted), and a
 * START ends such an opt-out. Anything else waits for an operator (and the provider's retry).
 */
async function fromUnknownPhone(
  tx: Tx,
  sms: InboundSms,
  orgId: string,
  keyword: InboundKeyword | null,
  linkedOptOut: boolean,
  now: Date,
): Promise<InboundResult> {
  if (keyword === "stop") {
    const channels = linkedOptOut ? (["sms", "email"] as const) : (["sms"] as const);
    await optOutPhone(tx, orgId, sms.from, channels, sms.messageSid, now);
    const reason = "no lead has this phone: the phone is opted out in this org, so no lead with it is texted";
    await storeUnrouted(tx, unroutedCopy(sms, orgId, reason, true), now);
    return { outcome: "phone", orgId, keyword };
  }
  if (keyword === "start" && (await optInPhone(tx, orgId, sms.from, "sms"))) {
    const reason = "no lead has this phone: START ended the phone's SMS opt-out in this org";
    await storeUnrouted(tx, unroutedCopy(sms, orgId, reason, true), now);
    return { outcome: "phone", orgId, keyword };
  }
  return unrouted(tx, sms, orgId, "no lead of the org that owns this number has this phone", now);
}

/** A text of an org the caller already routed, with that org's settings. */
export interface RoutedSms {
  sms: InboundSms;
  orgId: string;
  settings: Settings;
}

/** What receiving a text leaves to do once it is committed. */
export interface Received {
  result: InboundResult;
  /** A HELP's answer: the org's help text, sent after the commit. */
  helpReply?: string | undefined;
  /** The text went to the assistant to read: wake it. */
  toRead: boolean;
}

/** What a text's keyword is: the provider's opt-out type first, else the text itself. */
export function keywordOf(sms: InboundSms, settings: Settings): InboundKeyword | null {
  const byProvider = sms.optOutType?.toUpperCase();
  if (byProvider === "STOP") return "stop";
  if (byProvider === "START") return "start";
  if (byProvider === "HELP") return "help";
  return classifyInbound(sms.body, settings.unsubscribeKeywords);
}

/**
 * A routed text, inside the caller's transaction: to the org's lead with the phone, recorded
 * once per provider id, announced, and acted on (keywords, replies); anything else is kept (see
 * fromUnknownPhone).
 */
export async function receiveRouted(
  ctx: DomainContext,
  tx: Tx,
  emit: Emit,
  { sms, orgId, settings }: RoutedSms,
  now: Date,
): Promise<Received> {
  const keyword = keywordOf(sms, settings);
  const row = await inboundLeads(tx, ctx.capabilities, orgId)
    .where("leads.phone", "=", sms.from)
    .executeTakeFirst();
  if (row === undefined)
    return {
      result: await fromUnknownPhone(tx, sms, orgId, keyword, settings.linkedOptOut, now),
      toRead: false,
    };
  // An earlier attempt may have been kept as unrouted (say, before the lead existed).
  await resolveRouted(tx, ctx, PROVIDER, [sms.messageSid], orgId, now);
  const messageId = await recordInbound(
    tx,
    emit,
    row,
    { channel: "sms", provider: PROVIDER, providerMessageId: sms.messageSid, text: sms.body },
    now,
  );
  // Providers retry webhooks: the same message id is acted on once.
  if (messageId === undefined)
    return {
      result: { outcome: "lead", orgId, leadId: row.id, keyword: null, duplicate: true },
      toRead: false,
    };
  const lead = leadContact(row);
  let toRead = false;
  if (keyword === "stop") {
    await optOut(
      tx,
      emit,
      lead,
      {
        channel: "sms",
        reason: null,
        isTwilioOptOut: true,
        optOutMessage: sms.body,
        isDoNotContact: false,
        linked: settings.linkedOptOut,
      },
      now,
    );
  } else if (keyword === "start") {
    await optIn(tx, lead, "sms", now);
    // A STOP that came before the lead existed is over too.
    await optInPhone(tx, orgId, sms.from, "sms");
  } else if (keyword === null) {
    await markReplied(tx, ctx, emit, { ...lead, hasReplied: row.has_replied === 1 }, "sms", now);
    // Keywords are the rules' alone; anything else the assistant reads (assistant.md).
    await enqueueAssistantJob(
      tx,
      ctx.capabilities,
      { orgId, leadId: row.id, kind: "read", subjectId: messageId, dueAt: now },
      now,
    );
    toRead = true;
  }
  return {
    result: { outcome: "lead", orgId, leadId: row.id, keyword, duplicate: false },
    helpReply: keyword === "help" ? settings.helpReply : undefined,
    toRead,
  };
}

/**
 * A text to one of our senders: routed to the org that owns the number (see routeInboundSms;
 * `routed` when the caller already did, to check the signature with that org's token), then
 * received (receiveRouted). With the org's settings at hand, texts that arrive together are
 * received together (inboundTextBatches.ts).
 */
export async function receiveSms(
  ctx: DomainContext,
  sms: InboundSms,
  routed?: Routed,
): Promise<InboundResult> {
  const received =
    routed?.orgId !== undefined && routed.settings !== undefined && ctx.inboundTexts !== undefined
      ? await ctx.inboundTexts.receive({ sms, orgId: routed.orgId, settings: routed.settings })
      : await inTransaction(ctx, async (tx, emit): Promise<Received> => {
          const now = ctx.clock.now();
          const orgId = routed
            ? routed.orgId
            : await routeInboundSms((sender) => smsSenderOwner(tx, sender), sms.to, sms.messagingServiceSid);
          if (orgId === undefined) {
            const service =
              sms.messagingServiceSid === undefined ? "" : ` or messaging service ${sms.messagingServiceSid}`;
            return {
              result: await unrouted(tx, sms, undefined, `no organisation owns ${sms.to}${service}`, now),
              toRead: false,
            };
          }
          const settings = routed?.settings ?? (await loadSettings(tx, orgId));
          return receiveRouted(ctx, tx, emit, { sms, orgId, settings }, now);
        });
  return afterReceived(ctx, received);
}

/** After the commit: the assistant woken for what it must read, a HELP answered. */
async function afterReceived(
  ctx: DomainContext,
  { result, helpReply, toRead }: Received,
): Promise<InboundResult> {
  if (toRead) ctx.wakeAssistant();
  if (result.outcome === "lead" && helpReply !== undefined) {
    // The help text answers at once, whatever the hour: the lead just asked for it.
    await queueMessage(ctx, result.orgId, result.leadId, {
      message: helpReply,
      sendWhenOff: true,
      scheduleFollowUps: false,
      overrideBusinessHours: true,
      channel: "sms",
      author: "system",
    });
  }
  return result;
}
