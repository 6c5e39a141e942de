import { toIso } from "../../clock.js";
import type { DomainContext } from "../context.js";
import { inTransaction } from "../events/transaction.js";
import { smsSegments } from "../messages/smsSegments.js";
import { getSettings, loadSettings } from "../settings/settings.js";
import { addTimelineEntries } from "../timeline/timeline.js";
import type { Channel, DraftRequest } from "./assistant.js";
import type { AssistantFor } from "./assistantFor.js";
import { type AssistantInputs, loadAssistantInputs } from "./assistantInputs.js";
import { composeDraft } from "./composeDraft.js";
import { type GuardRules, HARD_SMS_LIMIT } from "./guards.js";
import { type ClaimedJob, finishJob, holdJob } from "./jobClaim.js";
import { toolCallEntry, withNotes } from "./toolCalls.js";

export interface AssistantDeps {
  ctx: DomainContext;
  assistantFor: AssistantFor;
  /** Our public URL: unsubscribe links under it are allowed in drafts. */
  publicUrl: string;
}

/** The guards for a draft to this lead on this channel (assistant.md). */
export function guardRulesFor(inputs: AssistantInputs, channel: Channel, publicUrl: string): GuardRules {
  return {
    channel,
    maxSmsLength: inputs.maxSmsLength,
    bookingUrl: inputs.profile.bookingUrl,
    publicUrl,
    allowedDomains: inputs.settings.assistant.allowedDomains,
    optOutLine: channel === "sms" && !inputs.hasHadSms ? inputs.settings.assistant.optOutLine : null,
    discloseAi: inputs.settings.assistant.discloseAi,
  };
}

/** The room a brain has for SMS text: the limit, less the opt-out line we append to a first SMS. */
export function draftSmsLimit(rules: GuardRules): number {
  const line = rules.channel === "sms" ? rules.optOutLine : null;
  return Math.min(rules.maxSmsLength, HARD_SMS_LIMIT) - (line === null ? 0 : line.length + 2);
}

const PURPOSE_WORDS = {
  initial: "the initial message",
  step: "follow-up step",
  nurture: "the nurture message",
};

/**
 * Writes a queued message that has no template (a draft job): the brain drafts it with the
 * conversation as it stands now, the guards check it (one rewrite), and the message either gets
 * its text, and goes to the sender, or is blocked with the reason. Nothing is written unless the
 * job is still this worker's, so a draft is applied once.
 */
export async function draftMessage(deps: AssistantDeps, job: ClaimedJob): Promise<void> {
  const { ctx } = deps;
  const message = await ctx.db
    .selectFrom("messages")
    .select(["id", "status", "draft", "channel", "follow_up_step"])
    .where("id", "=", job.subjectId)
    .executeTakeFirst();
  const inputs = await loadAssistantInputs(ctx.db, job.orgId, job.leadId, await getSettings(ctx, job.orgId));
  if (
    message === undefined ||
    message.status !== "queued" ||
    message.draft === null ||
    inputs === undefined
  ) {
    // Cancelled meanwhile (an opt-out, a reply, the lead deleted): nothing to write.
    await ctx.db.transaction().execute(async (tx) => finishJob(tx, job, toIso(ctx.clock.now())));
    return;
  }
  const purpose = message.draft;
  const rules = guardRulesFor(inputs, message.channel, deps.publicUrl);
  const request: DraftRequest = {
    purpose,
    channel: message.channel,
    step: purpose === "step" ? message.follow_up_step : null,
    profile: inputs.profile,
    lead: inputs.lead,
    conversation: inputs.conversation,
    intent: null,
    maxSmsLength: draftSmsLimit(rules),
    problem: null,
  };
  const assistant = deps.assistantFor(inputs.settings);
  const composed = await composeDraft(assistant, request, rules);
  await inTransaction(ctx, async (tx) => {
    if (!(await holdJob(tx, ctx.capabilities, job))) return;
    const now = ctx.clock.now();
    const at = toIso(now);
    const current = await tx
      .selectFrom("messages")
      .select(["status", "draft"])
      .where("id", "=", message.id)
      .$if(ctx.capabilities.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    const what =
      purpose === "step"
        ? `${PURPOSE_WORDS.step} ${message.follow_up_step ?? ""}`.trim()
        : PURPOSE_WORDS[purpose];
    let result: "drafted" | "blocked" | "skipped" = "skipped";
    let reason = `${what} was cancelled before it was written`;
    if (current?.status === "queued" && current.draft !== null) {
      const { draft, problem } = composed;
      if (problem === undefined) {
        const segments = message.channel === "sms" ? smsSegments(draft.text) : undefined;
        await tx
          .updateTable("messages")
          .set({
            text: draft.text,
            subject: draft.subject,
            segments: segments?.segments ?? null,
            encoding: segments?.encoding ?? null,
            draft: null,
            updated_at: at,
          })
          .where("id", "=", message.id)
          .execute();
        result = "drafted";
        reason = `wrote ${what} (${message.channel})`;
      } else {
        await tx
          .updateTable("messages")
          .set({
            status: "blocked",
            blocked_reason: `the assistant's draft failed its guards twice: ${problem}`,
            text: draft.text,
            subject: draft.subject,
            draft: null,
            due_at: null,
            updated_at: at,
          })
          .where("id", "=", message.id)
          .execute();
        await addTimelineEntries(tx, ctx, [
          {
            orgId: job.orgId,
            leadId: job.leadId,
            type: "COMPLIANCE_BLOCKED",
            at: now,
            data: {
              reason: `the assistant's draft failed its guards twice: ${problem}`,
              direction: "OUTBOUND",
              content: { text: draft.text },
              deliveryChannel: message.channel === "sms" ? "SMS" : "EMAIL",
              status: "blocked",
              messageId: message.id,
            },
          },
        ]);
        result = "blocked";
        reason = `${what} blocked: ${problem}`;
      }
    }
    await addTimelineEntries(tx, ctx, [
      toolCallEntry(job.orgId, job.leadId, now, {
        tool: "write_message",
        brain: composed.brain,
        result,
        reason: withNotes(reason, composed.notes),
        messageId: message.id,
      }),
    ]);
    await finishJob(tx, job, at);
  });
  ctx.wakeMessageSender();
}

/**
 * A job that failed for good (its attempts are used up): a message still waiting for its draft is
 * blocked, so it never waits forever, and the timeline says what went wrong.
 */
export async function abandonJob(deps: AssistantDeps, job: ClaimedJob, error: string): Promise<void> {
  const { ctx } = deps;
  const settings = await loadSettings(ctx.db, job.orgId);
  const brain = deps.assistantFor(settings).brain;
  await inTransaction(ctx, async (tx) => {
    if (!(await holdJob(tx, ctx.capabilities, job))) return;
    const now = ctx.clock.now();
    const at = toIso(now);
    const reason = `the assistant could not ${job.kind === "read" ? "read this message" : "write this message"} after ${job.attempts} attempts: ${error}`;
    if (job.kind === "draft") {
      await tx
        .updateTable("messages")
        .set({ status: "blocked", blocked_reason: reason, draft: null, due_at: null, updated_at: at })
        .where("id", "=", job.subjectId)
        .where("status", "=", "queued")
        .where("draft", "is not", null)
        .execute();
    }
    await addTimelineEntries(tx, ctx, [
      toolCallEntry(job.orgId, job.leadId, now, {
        tool: job.kind === "read" ? "read_reply" : "write_message",
        brain,
        result: "failed",
        reason,
        messageId: job.subjectId,
      }),
    ]);
    await finishJob(tx, job, at, "failed", error.slice(0, 1000));
  });
}
