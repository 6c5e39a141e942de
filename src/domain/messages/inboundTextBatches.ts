import { inJsonList } from "../../db/bulk.js";
import { enqueueNewAssistantJobs } from "../assistant/assistantJobs.js";
import type { DomainContext, Tx } from "../context.js";
import { OrgBatches } from "../events/orgBatches.js";
import { type Emit, inTransaction } from "../events/transaction.js";
import { markRepliedMany, type ReplyingLead } from "./markReplied.js";
import { leadContact } from "./optOuts.js";
import { keywordOf, PROVIDER, type Received, type RoutedSms, receiveRouted } from "./receiveSms.js";
import { type InboundLead, inboundLeads, recordInboundMany } from "./recordInbound.js";
import { resolveRouted } from "./unroutedInbound.js";

/**
 * Inbound texts in batches, per org (orgBatches.ts), on both backends. One text per transaction
 * took the org's sync clock and a WAL flush each on PostgreSQL, nine round trips in all: a
 * conversation-heavy org got about 150 texts a second. Now the texts that arrive while a batch is
 * written are received together in one transaction: the plain replies of known leads (most
 * texts) with one statement per step for all of them (their leads locked, unrouted copies
 * resolved, messages and timeline entries stored, the leads marked replied, the assistant's jobs
 * queued), then anything else (keywords, unknown phones, a message id the batch already has) one
 * by one as receiveRouted does alone, in the same transaction.
 *
 * Each text is answered as it would be alone. Texts of one batch arrived together, so any order
 * among them is one they could have had. A batch the database refuses as a whole is received
 * again one text at a time.
 */
export class InboundTextBatches {
  private readonly batches: OrgBatches<RoutedSms, Received>;

  constructor(ctx: DomainContext, maxBatch: number) {
    this.batches = new OrgBatches(maxBatch, {
      write: (orgId, texts) => inTransaction(ctx, (tx, emit) => receiveBatch(ctx, tx, emit, orgId, texts)),
      writeAlone: (_orgId, text) =>
        inTransaction(ctx, (tx, emit) => receiveRouted(ctx, tx, emit, text, ctx.clock.now())),
    });
  }

  /** Resolves once the text is committed, with what is left to do after the commit. */
  receive(text: RoutedSms): Promise<Received> {
    return this.batches.add(text.orgId, text);
  }
}

/** A plain reply of a known lead: what the batch receives in bulk. */
interface Reply {
  index: number;
  text: RoutedSms;
  lead: InboundLead;
}

async function receiveBatch(
  ctx: DomainContext,
  tx: Tx,
  emit: Emit,
  orgId: string,
  texts: readonly RoutedSms[],
): Promise<Received[]> {
  const now = ctx.clock.now();
  const plain = texts.map((text) => keywordOf(text.sms, text.settings) === null);
  const phones = [...new Set(texts.map((text) => text.sms.from))];
  // Every lead of the batch at once, in id order (lockLeads.ts), those of keywords too: taking one
  // later, while holding the others, could wait in a circle with another batch.
  const leads = await inboundLeads(tx, ctx.capabilities, orgId)
    .where(inJsonList(ctx, "leads.phone", phones))
    .orderBy("leads.id")
    .execute();
  const leadOf = new Map<string, InboundLead>();
  for (const lead of leads) if (!leadOf.has(lead.phone)) leadOf.set(lead.phone, lead);

  const replies: Reply[] = [];
  const rest: number[] = [];
  const sids = new Set<string>();
  texts.forEach((text, index) => {
    const lead = leadOf.get(text.sms.from);
    if (plain[index] === true && lead !== undefined && !sids.has(text.sms.messageSid)) {
      sids.add(text.sms.messageSid);
      replies.push({ index, text, lead });
    } else rest.push(index);
  });

  const results: Received[] = [];
  for (const [k, received] of (await receiveReplies(ctx, tx, emit, orgId, replies, now)).entries()) {
    const reply = replies[k];
    if (reply !== undefined) results[reply.index] = received;
  }
  for (const index of rest) {
    const text = texts[index];
    if (text !== undefined) results[index] = await receiveRouted(ctx, tx, emit, text, now);
  }
  return results;
}

/** The plain replies of a batch, received together; one result per reply, in order. */
async function receiveReplies(
  ctx: DomainContext,
  tx: Tx,
  emit: Emit,
  orgId: string,
  replies: readonly Reply[],
  now: Date,
): Promise<Received[]> {
  if (replies.length === 0) return [];
  // Earlier attempts may have been kept as unrouted (say, before the lead existed).
  await resolveRouted(
    tx,
    ctx,
    PROVIDER,
    replies.map((reply) => reply.text.sms.messageSid),
    orgId,
    now,
  );
  const ids = await recordInboundMany(
    tx,
    ctx,
    emit,
    replies.map(({ lead, text }) => ({
      row: lead,
      message: {
        channel: "sms",
        provider: PROVIDER,
        providerMessageId: text.sms.messageSid,
        text: text.sms.body,
      },
    })),
    now,
  );
  const replying = new Map<string, ReplyingLead>();
  const jobs = [];
  for (const [k, { lead }] of replies.entries()) {
    const messageId = ids[k];
    if (messageId === undefined) continue;
    if (!replying.has(lead.id))
      replying.set(lead.id, { ...leadContact(lead), hasReplied: lead.has_replied === 1 });
    // Keywords are the rules' alone; anything else the assistant reads (assistant.md).
    jobs.push({ orgId, leadId: lead.id, kind: "read" as const, subjectId: messageId, dueAt: now });
  }
  await markRepliedMany(tx, ctx, emit, [...replying.values()], "sms", now);
  await enqueueNewAssistantJobs(tx, ctx.capabilities, jobs, now);
  return replies.map(({ lead }, k) => ({
    // Providers retry webhooks: the same message id is acted on once.
    result: { outcome: "lead", orgId, leadId: lead.id, keyword: null, duplicate: ids[k] === undefined },
    toRead: ids[k] !== undefined,
  }));
}
