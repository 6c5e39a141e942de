import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Database } from "../../db/database.js";
import type { DomainContext } from "../../domain/context.js";
import { type ComplianceChecker, complianceBlockReason } from "../../domain/messages/complianceCheck.js";
import { prepareSends, type ReadyToSend, type SendDecision } from "../../domain/messages/prepareSend.js";
import type { EmailProvider, SendOutcome, SmsProvider } from "../../domain/messages/providers.js";
import {
  type AcceptedSend,
  type ClaimedMessage,
  recordAccepted,
  recordBlocked,
  recordRejected,
  recordRetryable,
  recordUnknown,
} from "../../domain/messages/recordOutcome.js";
import { MESSAGES_CHANNEL } from "../../domain/webhooks/wakeups.js";
import { BatchLoop } from "../batchLoop.js";
import { type ClaimedRow, claimMessages, markStaleClaimsUnknown } from "./claimMessages.js";

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
  /** A claim older than this without an answer is `unknown` (the worker died mid-send). */
  claimLeaseMs: number;
}

/** Sends queued messages through the providers, exactly once or provably not at all. */
export class MessageSender {
  private readonly loop: BatchLoop;

  constructor(private readonly o: MessageSenderOptions) {
    const pool = o.database.capabilities.listenNotify ? o.database.pgPool : undefined;
    this.loop = new BatchLoop({
      name: "sending messages",
      logger: o.logger,
      batchSize: o.batchSize,
      pollIntervalMs: o.pollIntervalMs,
      runOnce: () => this.runOnce(),
      listen: pool ? { pool, channel: MESSAGES_CHANNEL } : undefined,
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
    const stale = await markStaleClaimsUnknown(this.o.database, now, this.o.claimLeaseMs);
    if (stale > 0)
      this.o.logger.warn({ count: stale }, "messages left `unknown` by a stopped worker; reconcile them");
    const rows = await claimMessages(this.o.database, {
      workerId: this.o.workerId,
      now,
      limit: this.o.batchSize,
    });
    if (rows.length === 0) return 0;
    const ctx = this.o.ctx;
    const decisions = await ctx.db
      .transaction()
      .execute((tx) => prepareSends(tx, this.o.database, rows, ctx.clock.now()));
    const accepted = await Promise.all(
      rows.map((row) =>
        this.process(
          row,
          decisions.get(row.id) ?? {
            kind: "blocked",
            reason: "internal error: the send checks did not cover this message",
          },
        ),
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
    const m: ClaimedMessage = {
      id: row.id,
      orgId: row.org_id,
      leadId: row.lead_id,
      channel: row.channel,
      text: row.text,
      subject: row.subject,
      followUpStep: row.follow_up_step,
      followUpCycle: row.follow_up_cycle,
      scheduleFollowUps: row.schedule_follow_ups === 1,
      attempts: row.attempts,
      overrideBusinessHours: row.override_business_hours === 1,
      claimedBy: this.o.workerId,
    };
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
    const outcome = await this.callProvider(m, decision);
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
