import pLimit, { type LimitFunction } from "p-limit";
import type { Logger } from "pino";
import { Batcher } from "../../batcher.js";
import type { Config } from "../../config.js";
import type { Database } from "../../db/database.js";
import type { DomainContext } from "../../domain/context.js";
import { type ComplianceChecker, complianceBlockReason } from "../../domain/messages/complianceCheck.js";
import { prepareSends, type ReadyToSend, type SendDecision } from "../../domain/messages/prepareSend.js";
import type { EmailProvider, SendOutcome, SmsProvider } from "../../domain/messages/providers.js";
import {
  type AcceptedSend,
  type ClaimedMessage,
  claimedMessage,
  recordAccepted,
  recordBlocked,
  recordRejected,
  recordRetryable,
  recordUnknown,
} from "../../domain/messages/recordOutcome.js";
import { serverSmsSenders } from "../../domain/messages/serverSmsSenders.js";
import { MESSAGES_CHANNEL } from "../../domain/messages/wakeups.js";
import { BatchLoop } from "../batchLoop.js";
import type { WakeSignal } from "../wakeSignal.js";
import { type ClaimedRow, claimMessages, settleStaleClaims } from "./claimMessages.js";
import { markProviderCalls, type ProviderCall } from "./providerCallMarks.js";

export interface MessageSenderOptions {
  ctx: DomainContext;
  database: Database;
  config: Config;
  logger: Logger;
  /** The SMS provider for an org's Twilio account settings (null: the server's). */
  smsFor: (account: { accountSid: string; authToken: string } | null) => SmsProvider;
  email: EmailProvider;
  compliance: ComplianceChecker;
  workerId: string;
  batchSize: number;
  pollIntervalMs: number;
  /**
   * A claim older than this without an answer is settled: queued again when its provider call
   * never started, `unknown` when it did (this long ago). Must outlast a provider call.
   */
  claimLeaseMs: number;
  /** What `wake()` notifies: app.ts hands one in so the DomainContext can wake a sender built after it. */
  signal?: WakeSignal;
}

/** Sends queued messages through the providers, exactly once or provably not at all. */
export class MessageSender {
  private readonly loop: BatchLoop;
  /** Group commit of provider-call marks: a batch's calls wait for one statement, not one each. */
  private readonly marks: Batcher<ProviderCall, boolean>;
  /**
   * A call is marked only once it has a slot, so a mark is followed by the request at once. Marking
   * a whole batch first would leave calls marked but still waiting for a connection: a crash then
   * makes them `unknown` although they never reached the provider.
   */
  private readonly slots: LimitFunction;

  constructor(private readonly o: MessageSenderOptions) {
    this.slots = pLimit(o.config.providerConcurrency);
    this.marks = new Batcher(
      (calls) => markProviderCalls(o.database, o.workerId, calls, o.ctx.clock.now()),
      o.logger,
      { what: "provider call marks", maxBatch: 500, maxDelayMs: 2 },
    );
    const pool = o.database.capabilities.listenNotify ? o.database.pgPool : undefined;
    this.loop = new BatchLoop({
      name: "sending messages",
      logger: o.logger,
      batchSize: o.batchSize,
      pollIntervalMs: o.pollIntervalMs,
      runOnce: () => this.runOnce(),
      listen: pool ? { pool, channel: MESSAGES_CHANNEL } : undefined,
      signal: o.signal,
    });
  }

  wake(): void {
    this.loop.wake();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Sends everything due now (tests and tools that drive time by hand). */
  runDue(): Promise<number> {
    return this.loop.runDue();
  }

  /** Claims and sends one batch of due messages; returns how many were claimed. */
  async runOnce(): Promise<number> {
    const now = this.o.ctx.clock.now();
    const stale = await settleStaleClaims(this.o.database, now, this.o.claimLeaseMs);
    if (stale.requeued > 0)
      this.o.logger.info({ count: stale.requeued }, "queued again: claimed by a stopped worker, never sent");
    if (stale.unknown > 0)
      this.o.logger.warn(
        { count: stale.unknown },
        "messages left `unknown` by a stopped worker; reconcile them",
      );
    const rows = await claimMessages(this.o.database, {
      workerId: this.o.workerId,
      now,
      limit: this.o.batchSize,
    });
    if (rows.length === 0) return 0;
    const ctx = this.o.ctx;
    const decisions = await ctx.db
      .transaction()
      .execute((tx) =>
        prepareSends(tx, this.o.database, rows, ctx.clock.now(), serverSmsSenders(this.o.config.twilio)),
      );
    const accepted = await Promise.all(
      rows.map((row) =>
        this.process(
          row,
          decisions.get(row.id) ?? {
            kind: "blocked",
            reason: "internal error: the send checks did not cover this message",
          },
        ).catch((error: unknown) => {
          // One message's failure must not keep the batch's accepted sends from being recorded;
          // this one stays `sending` and its lease settles it.
          this.o.logger.error({ err: error, messageId: row.id }, "sending a message failed");
          return undefined;
        }),
      ),
    );
    await recordAccepted(
      ctx,
      accepted.filter((a): a is AcceptedSend => a !== undefined),
    );
    return rows.length;
  }

  /** Sends one claimed message; an accepted send is returned for the batch's single write. */
  private async process(row: ClaimedRow, decision: SendDecision): Promise<AcceptedSend | undefined> {
    const m: ClaimedMessage = claimedMessage(row, this.o.workerId);
    const ctx = this.o.ctx;
    if (decision.kind === "blocked") {
      await recordBlocked(ctx, m, decision.reason);
      return undefined;
    }
    const refusal = await this.complianceRefusal(m, decision);
    if (refusal !== undefined) {
      await recordBlocked(ctx, m, refusal);
      return undefined;
    }
    const provider = m.channel === "sms" ? this.o.smsFor(decision.settings.twilio) : this.o.email;
    const outcome = await this.slots(async () => {
      if (!(await this.markCall({ id: m.id, provider: provider.name }))) return undefined;
      return this.callProvider(m, decision);
    });
    if (outcome === undefined) return undefined;
    switch (outcome.kind) {
      case "accepted":
        return {
          message: m,
          lead: decision.lead,
          profile: decision.profile,
          provider: provider.name,
          outcome,
          acceptedAt: ctx.clock.now(),
        };
      case "rejected":
        await recordRejected(ctx, m, decision.lead, outcome);
        return undefined;
      case "retryable":
        await recordRetryable(ctx, m, outcome);
        return undefined;
      case "unknown":
        await recordUnknown(ctx, m, outcome.message);
        return undefined;
    }
  }

  /**
   * Waits until the row says its provider call may start (see providerCallMarks.ts). False: the
   * claim lapsed and was settled meanwhile, or the mark could not be written; no call starts, and
   * whatever the row says now stands (a lapsed claim is someone else's, an unwritten mark means
   * queued again after the lease, a mark written despite the error means `unknown`).
   */
  private async markCall(call: ProviderCall): Promise<boolean> {
    try {
      const marked = await this.marks.add(call);
      if (!marked)
        this.o.logger.warn({ messageId: call.id }, "claim lapsed before the provider call; not sent");
      return marked;
    } catch {
      return false; // the Batcher logged the write's error
    }
  }

  /** The operator's compliance middleware, when configured for this channel; its failure mode decides doubt. */
  private async complianceRefusal(m: ClaimedMessage, decision: ReadyToSend): Promise<string | undefined> {
    const check = decision.settings.complianceCheck;
    if (check === null || !check.channels.includes(m.channel)) return undefined;
    const verdict = await this.o.compliance.check(check.url, check.timeoutMs, {
      orgId: m.orgId,
      messageId: m.id,
      channel: m.channel,
      lead: {
        id: decision.lead.leadId,
        phone: decision.lead.phone,
        email: decision.lead.email,
        externalLeadId: decision.lead.externalLeadId,
        timeZone: decision.lead.timeZone,
      },
      message: { text: m.text, subject: m.subject },
    });
    if (verdict.decision === "unreachable") {
      this.o.logger.warn({ messageId: m.id, reason: verdict.reason }, "compliance check unreachable");
    }
    return complianceBlockReason(verdict, check.onUnreachable);
  }

  private async callProvider(m: ClaimedMessage, decision: ReadyToSend): Promise<SendOutcome> {
    const publicUrl = this.o.config.publicUrl;
    const reference = { orgId: m.orgId, messageId: m.id };
    try {
      if (m.channel === "sms") {
        const senders = decision.settings.senders.sms;
        return await this.o.smsFor(decision.settings.twilio).send({
          reference,
          to: decision.lead.phone,
          body: m.text,
          statusCallbackUrl: `${publicUrl}/inbound/twilio/status`,
          from: senders.from ?? undefined,
          messagingServiceSid: senders.messagingServiceSid ?? undefined,
        });
      }
      const senders = decision.settings.senders.email;
      return await this.o.email.send({
        reference,
        to: decision.lead.email ?? "",
        subject: m.subject ?? "",
        text: m.text,
        replyTo: senders.replyTo ?? undefined,
        unsubscribeUrl: `${publicUrl}/unsubscribe/${decision.unsubscribeToken ?? ""}`,
        from: senders.from ?? undefined,
      });
    } catch (error) {
      // A provider adapter must classify its own failures; an escaped error means we cannot know.
      return { kind: "unknown", message: error instanceof Error ? error.message : String(error) };
    }
  }
}
