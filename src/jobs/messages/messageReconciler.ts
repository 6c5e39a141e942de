import type { Logger } from "pino";
import { toIso } from "../../clock.js";
import { inJsonList } from "../../db/bulk.js";
import type { Database } from "../../db/database.js";
import type { DomainContext } from "../../domain/context.js";
import { DomainError } from "../../domain/errors.js";
import { applyDeliveryStatus } from "../../domain/messages/deliveryStatus.js";
import type { EmailProvider, SentLookup, SmsProvider } from "../../domain/messages/providers.js";
import {
  type MessageRow,
  providerCallTime,
  RECONCILER,
  resolveUnknownMessage,
} from "../../domain/messages/resolveUnknown.js";
import { loadSettings } from "../../domain/settings/settings.js";
import { BatchLoop } from "../batchLoop.js";

export interface MessageReconcilerOptions {
  ctx: DomainContext;
  database: Database;
  logger: Logger;
  smsFor: (account: { accountSid: string; authToken: string } | null) => SmsProvider;
  email: EmailProvider;
  batchSize: number;
  pollIntervalMs: number;
  /** A message is looked up only once its provider call began longer ago than this. */
  claimLeaseMs: number;
  /** A provider that does not list the message this long after the call: it was never sent. */
  absentAfterMs: number;
  /** After a failed or not yet conclusive lookup, the next one waits this long. */
  recheckMs: number;
}

/** Clock skew between us and the provider, and its own dating: the window is this much wider. */
const WINDOW_MARGIN_MS = 15 * 60_000;
/** A message no provider can look up (SMTP) is for the operator; the configuration may change. */
const NO_LOOKUP_RECHECK_MS = 3_600_000;
/** Left for an operator's decision: the reconciler never takes it again. */
const NEVER = "9999-12-31T23:59:59.999Z";

/**
 * Settles `unknown` messages by asking their provider (Twilio's Messages list; the dev sink's
 * outbox). Found: `sent` with the provider's id, exactly like an accepted send. Surely absent
 * (a complete answer without it, long enough after the call): queued again, once per message.
 * A failed lookup is tried again later. Whatever it cannot settle stays for POST /resolve.
 */
export class MessageReconciler {
  private readonly loop: BatchLoop;

  constructor(private readonly o: MessageReconcilerOptions) {
    this.loop = new BatchLoop({
      name: "reconciling messages",
      logger: o.logger,
      batchSize: o.batchSize,
      pollIntervalMs: o.pollIntervalMs,
      runOnce: () => this.runOnce(),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Looks up everything due now (tests and tools that drive time by hand). */
  runDue(): Promise<number> {
    return this.loop.runDue();
  }

  async runOnce(): Promise<number> {
    const now = this.o.ctx.clock.now();
    const rows = await this.take(now);
    // One at a time: gentle on the provider's rate limits, and a provider id recorded for one
    // message is already excluded when the next one is matched.
    for (const row of rows) {
      try {
        await this.reconcile(row, now);
      } catch (error) {
        this.o.logger.error({ err: error, messageId: row.id }, "reconciling a message failed");
      }
    }
    return rows.length;
  }

  /**
   * Takes due `unknown` messages, moving each one's next look-up time first: a concurrent
   * reconciler (another worker) skips them, and a lookup that fails is simply tried then.
   */
  private async take(now: Date): Promise<MessageRow[]> {
    const at = toIso(now);
    const callCutoff = toIso(new Date(now.getTime() - this.o.claimLeaseMs));
    const due = await this.o.database.db
      .selectFrom("messages")
      .select("id")
      .where("status", "=", "unknown")
      .where((eb) => eb(eb.fn.coalesce("provider_call_at", "claimed_at"), "<", callCutoff))
      .where((eb) => eb.or([eb("next_reconcile_at", "is", null), eb("next_reconcile_at", "<=", at)]))
      .orderBy("updated_at")
      .limit(this.o.batchSize)
      .execute();
    if (due.length === 0) return [];
    return this.o.database.db
      .updateTable("messages")
      .set({ next_reconcile_at: toIso(new Date(now.getTime() + this.o.recheckMs)) })
      .where(
        inJsonList(
          this.o.database,
          "id",
          due.map((r) => r.id),
        ),
      )
      .where("status", "=", "unknown")
      .where((eb) => eb.or([eb("next_reconcile_at", "is", null), eb("next_reconcile_at", "<=", at)]))
      .returningAll()
      .execute();
  }

  private async reconcile(row: MessageRow, now: Date): Promise<void> {
    const callAt = providerCallTime(row) ?? new Date(row.updated_at);
    const lookup = await this.lookUp(row, callAt, now);
    if (lookup === undefined) return this.postpone(row, new Date(now.getTime() + NO_LOOKUP_RECHECK_MS));
    if (lookup.result.kind === "failed") {
      this.o.logger.info(
        { messageId: row.id, reason: lookup.result.message },
        "message lookup failed; retrying later",
      );
      return;
    }
    const match = await this.unclaimedMatch(lookup.provider, lookup.result);
    if (match !== undefined) {
      await this.settle(row, {
        decision: "sent",
        provider: lookup.provider,
        providerMessageId: match.providerMessageId,
      });
      if (match.status !== undefined) {
        await applyDeliveryStatus(this.o.ctx, {
          provider: lookup.provider,
          providerMessageId: match.providerMessageId,
          status: match.status,
        });
      }
      return;
    }
    const absentSince = callAt.getTime() + this.o.absentAfterMs;
    if (now.getTime() < absentSince) {
      // Not conclusive yet (the provider may still hold it in a queue): ask again, at the latest
      // when it will be.
      return this.postpone(row, new Date(Math.min(now.getTime() + this.o.recheckMs, absentSince)));
    }
    if (row.auto_resent_at !== null) {
      this.o.logger.warn(
        { messageId: row.id },
        "unknown message still not found after its one resend; resolve it",
      );
      return this.postpone(row, new Date(NEVER));
    }
    await this.settle(row, { decision: "resend" });
  }

  /** Asks the provider that was called, if it is still the org's and can be asked at all. */
  private async lookUp(
    row: MessageRow,
    callAt: Date,
    now: Date,
  ): Promise<{ provider: string; result: SentLookup } | undefined> {
    const lead = await this.o.database.db
      .selectFrom("leads")
      .select(["phone", "email"])
      .where("id", "=", row.lead_id)
      .executeTakeFirst();
    const settings = await loadSettings(this.o.database.db, row.org_id);
    const provider = row.channel === "sms" ? this.o.smsFor(settings.twilio) : this.o.email;
    const to = row.channel === "sms" ? lead?.phone : (lead?.email ?? undefined);
    if (provider.lookup === undefined || to === undefined) return undefined;
    // A message marked as handed to another provider (the configuration changed since) is not
    // this one's to find; asking would only ever conclude "absent".
    if (row.provider !== null && row.provider !== provider.name) return undefined;
    const senders = settings.senders.sms;
    const result = await provider.lookup({
      reference: { orgId: row.org_id, messageId: row.id },
      to,
      body: row.text,
      from: row.channel === "sms" ? (senders.from ?? undefined) : undefined,
      messagingServiceSid: row.channel === "sms" ? (senders.messagingServiceSid ?? undefined) : undefined,
      sentAfter: new Date(callAt.getTime() - WINDOW_MARGIN_MS),
      sentBefore: new Date(now.getTime() + WINDOW_MARGIN_MS),
    });
    return { provider: provider.name, result };
  }

  /** The oldest match no other message has claimed (the provider lists newest first). */
  private async unclaimedMatch(provider: string, result: Extract<SentLookup, { kind: "answered" }>) {
    const ids = result.matches.map((m) => m.providerMessageId);
    if (ids.length === 0) return undefined;
    const taken = new Set(
      (
        await this.o.database.db
          .selectFrom("messages")
          .select("provider_message_id")
          .where("provider", "=", provider)
          .where(inJsonList(this.o.database, "provider_message_id", ids))
          .execute()
      ).map((r) => r.provider_message_id),
    );
    return result.matches.filter((m) => !taken.has(m.providerMessageId)).at(-1);
  }

  private async settle(
    row: MessageRow,
    how: { decision: "sent"; provider: string; providerMessageId: string } | { decision: "resend" },
  ): Promise<void> {
    try {
      await resolveUnknownMessage(this.o.ctx, {
        orgId: row.org_id,
        messageId: row.id,
        decidedBy: RECONCILER,
        ...(how.decision === "resend" ? { decision: "resend", automatic: true } : how),
      });
      this.o.logger.info({ messageId: row.id, decision: how.decision }, "unknown message reconciled");
    } catch (error) {
      // Settled by someone else meanwhile (an operator, a late answer): theirs stands.
      if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
    }
  }

  private async postpone(row: MessageRow, until: Date): Promise<void> {
    await this.o.database.db
      .updateTable("messages")
      .set({ next_reconcile_at: toIso(until) })
      .where("id", "=", row.id)
      .where("status", "=", "unknown")
      .execute();
  }
}
