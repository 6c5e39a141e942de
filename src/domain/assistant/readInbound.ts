import { toIso } from "../../clock.js";
import type { DomainContext } from "../context.js";
import { inLeadTransaction } from "../events/orgWork.js";
import { type LeadRow, loadLiveLeadRow } from "../leads/leadView.js";
import { listEnabledRules } from "../notifications/notificationRules.js";
import { getSettings } from "../settings/settings.js";
import { addTimelineEntries } from "../timeline/timeline.js";
import type { Answer, ConditionRule, Intent, Reading } from "./assistant.js";
import type { AssistantInputs } from "./assistantInputs.js";
import { loadAssistantInputs } from "./assistantInputs.js";
import { type ComposedDraft, composeDraft } from "./composeDraft.js";
import { type AssistantDeps, draftSmsLimit, guardRulesFor } from "./draftMessage.js";
import { type ClaimedJob, finishJob, holdJob } from "./jobClaim.js";
import { type InboundRow, type NotificationEmail, ReadingEffects } from "./readingEffects.js";
import { toolCallEntry, withNotes } from "./toolCalls.js";

/** Intents answered with a reply (and the follow-ups restarting after it) or a close. */
const REPLY_INTENTS: ReadonlySet<Intent> = new Set(["question", "interested", "booking", "other"]);

export interface ReadDeps extends AssistantDeps {
  /** Sends a matched rule's email to the org's people, after the reading is committed. */
  notifyByEmail: (email: NotificationEmail) => Promise<void>;
}

/** Tags with a condition the lead does not carry yet (hasReplied is the product's own). */
async function openConditions(ctx: DomainContext, orgId: string, leadId: string): Promise<ConditionRule[]> {
  const rows = await ctx.db
    .selectFrom("tags")
    .select(["id", "name", "condition"])
    .where("org_id", "=", orgId)
    .where("condition", "is not", null)
    .where("name", "!=", "hasReplied")
    .where("id", "not in", (eb) => eb.selectFrom("lead_tags").select("tag_id").where("lead_id", "=", leadId))
    .orderBy("name")
    .execute();
  return rows.flatMap((row) =>
    row.condition === null ? [] : [{ id: row.id, name: row.name, condition: row.condition }],
  );
}

/** The reading with anything the brain made up removed: only offered tags, rules and keys. */
function checkedReading(
  reading: Reading,
  tags: ConditionRule[],
  rules: ConditionRule[],
  keys: readonly string[],
): Reading {
  const tagIds = new Set(tags.map((t) => t.id));
  const ruleIds = new Set(rules.map((r) => r.id));
  return {
    ...reading,
    tags: [...new Set(reading.tags)].filter((id) => tagIds.has(id)),
    notifications: reading.notifications.filter(
      (n, index, all) => ruleIds.has(n.id) && all.findIndex((m) => m.id === n.id) === index,
    ),
    extracted: Object.fromEntries(
      Object.entries(reading.extracted).filter(([key, value]) => keys.includes(key) && value.trim() !== ""),
    ),
  };
}

/**
 * Reads one inbound message (a read job): the brain's reading is taken outside any transaction
 * (a model call may take seconds), then every effect is applied in one transaction with the job's
 * `done`, so a crash repeats the reading but never its effects (assistant.md "What it reads").
 */
export async function readInbound(deps: ReadDeps, job: ClaimedJob): Promise<void> {
  const { ctx } = deps;
  const inbound = await ctx.db
    .selectFrom("messages")
    .select(["id", "channel", "text", "subject", "created_at"])
    .where("id", "=", job.subjectId)
    .where("direction", "=", "inbound")
    .executeTakeFirst();
  const inputs = await loadAssistantInputs(ctx.db, job.orgId, job.leadId, await getSettings(ctx, job.orgId));
  if (inbound === undefined || inputs === undefined) {
    await ctx.db.transaction().execute(async (tx) => finishJob(tx, job, toIso(ctx.clock.now())));
    return;
  }
  const tags = await openConditions(ctx, job.orgId, job.leadId);
  const rules = await listEnabledRules(ctx, job.orgId, inbound.channel);
  const assistant = deps.assistantFor(inputs.settings);
  const answer = await assistant.read({
    message: { channel: inbound.channel, text: inbound.text, subject: inbound.subject },
    conversation: inputs.conversation,
    profile: inputs.profile,
    lead: inputs.lead,
    tags,
    notifications: rules,
  });
  const reading = checkedReading(answer.value, tags, rules, inputs.profile.extract);
  const reply = await draftReply(deps, inputs, inbound, reading, answer);
  // Shares a commit with the org's other readings on PostgreSQL, so it may run twice: it keeps
  // nothing from a run but the emails it returns.
  const emails = await inLeadTransaction(ctx, job, async (tx, emit): Promise<NotificationEmail[]> => {
    const emails: NotificationEmail[] = [];
    if (!(await holdJob(tx, ctx.capabilities, job))) return emails;
    const now = ctx.clock.now();
    let lead: LeadRow;
    try {
      lead = await loadLiveLeadRow(tx, ctx.capabilities, job.orgId, job.leadId);
    } catch {
      await finishJob(tx, job, toIso(now));
      return emails;
    }
    const effects = new ReadingEffects(tx, ctx.capabilities, emit, lead, inbound, now);
    effects.entries.push(
      toolCallEntry(job.orgId, job.leadId, now, {
        tool: "read_reply",
        brain: answer.brain,
        intent: reading.intent,
        result: reading.intent,
        reason: withNotes(reading.reason, answer.fallback === undefined ? [] : [answer.fallback]),
        messageId: inbound.id,
      }),
    );
    await effects.actOnIntent(reading, inputs, answer.brain);
    await effects.tag(reading.tags, answer.brain, reading.intent);
    for (const match of reading.notifications) {
      const rule = rules.find((r) => r.id === match.id);
      if (rule === undefined) continue;
      const email = await effects.notify(
        rule,
        match.message,
        answer.brain,
        inputs.settings.notificationEmails,
      );
      if (email !== undefined) emails.push(email);
    }
    await effects.extract(reading.extracted, answer.brain);
    await effects.summarize(reading.summary, answer.brain);
    if (reply !== undefined) await effects.reply(reply, inputs, reading.intent);
    await addTimelineEntries(tx, ctx, effects.entries);
    await finishJob(tx, job, toIso(now));
    return emails;
  });
  ctx.wakeMessageSender();
  for (const email of emails) await deps.notifyByEmail(email);
}

/** The reply (or close) the intent calls for, written and checked before the transaction. */
async function draftReply(
  deps: AssistantDeps,
  inputs: AssistantInputs,
  inbound: InboundRow,
  reading: Reading,
  answer: Answer<Reading>,
): Promise<ComposedDraft | undefined> {
  const purpose = REPLY_INTENTS.has(reading.intent)
    ? "reply"
    : reading.intent === "not_interested"
      ? "close"
      : undefined;
  if (purpose === undefined) return undefined;
  const assistant = deps.assistantFor(inputs.settings);
  const rules = guardRulesFor(inputs, inbound.channel, deps.publicUrl);
  const proposed =
    reading.reply === null
      ? undefined
      : {
          value: reading.reply,
          brain: answer.brain,
          ...(answer.fallback === undefined ? {} : { fallback: answer.fallback }),
        };
  return composeDraft(
    assistant,
    {
      purpose,
      channel: inbound.channel,
      step: null,
      profile: inputs.profile,
      lead: inputs.lead,
      conversation: inputs.conversation,
      intent: reading.intent,
      maxSmsLength: draftSmsLimit(rules),
      problem: null,
    },
    rules,
    proposed,
  );
}
