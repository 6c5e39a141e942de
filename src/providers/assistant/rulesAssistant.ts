import type { Clock } from "../../clock.js";
import type {
  Answer,
  Assistant,
  AssistantCommand,
  ConditionRule,
  Draft,
  Intent,
  Reading,
  ReadRequest,
} from "../../domain/assistant/assistant.js";
import { BUILT_IN_TAGS } from "../../domain/tags/builtInTags.js";
import { describeMatch, matchCondition } from "./rules/conditionPhrases.js";
import { extractValues } from "./rules/extractValues.js";
import { parseCommand } from "./rules/parseCommand.js";
import { readIntent } from "./rules/readIntent.js";
import { summarize } from "./rules/summarize.js";
import { writeDraft } from "./rules/writeDraft.js";

const answer = <T>(value: T): Answer<T> => ({ value, brain: "rules" });

const builtInCondition = (name: string) => BUILT_IN_TAGS.find((tag) => tag.name === name)?.condition;

/**
 * The built-in tags' conditions are English sentences for a model; phrase matching cannot read
 * them, so while a built-in keeps its stock sentence the rules brain judges it from the reading:
 * hot = wants a meeting or says yes, qualified = every key the profile asks for is known.
 */
function builtInTagHolds(
  tag: ConditionRule,
  intent: Intent,
  known: Record<string, unknown>,
  extractKeys: readonly string[],
): boolean | undefined {
  if (tag.condition !== builtInCondition(tag.name)) return undefined;
  if (tag.name === "isHot") return intent === "booking" || intent === "interested";
  if (tag.name === "isQualified")
    return (
      extractKeys.length > 0 && extractKeys.every((key) => known[key] !== undefined && known[key] !== null)
    );
  return false;
}

function readReply(request: ReadRequest, now: Date): Reading {
  const { intent, reason, optOutChannel } = readIntent(request.message.text, request.message.channel);
  const extracted = extractValues(request.profile.extract, request.message.text);
  const known = { ...request.lead.additionalInfo, ...extracted };
  // Conditions are judged on everything the lead wrote, not only the last message.
  const leadTexts = [
    ...request.conversation.filter((turn) => turn.direction === "inbound").map((turn) => turn.text),
    request.message.text,
  ];
  const tags = request.tags
    .filter((tag) => {
      const builtIn = builtInTagHolds(tag, intent, known, request.profile.extract);
      return builtIn ?? matchCondition(tag.condition, leadTexts, intent) !== undefined;
    })
    .map((tag) => tag.id);
  const who = request.lead.firstName.trim() || "The lead";
  const notifications = request.notifications.flatMap((rule) => {
    const phrase = matchCondition(rule.condition, [request.message.text], intent);
    if (phrase === undefined) return [];
    return [{ id: rule.id, message: `${who} matched "${rule.name}": ${describeMatch(phrase)}.` }];
  });
  const conversation = request.conversation.some(
    (turn) => turn.direction === "inbound" && turn.text === request.message.text,
  )
    ? request.conversation
    : [
        ...request.conversation,
        {
          direction: "inbound" as const,
          channel: request.message.channel,
          text: request.message.text,
          subject: request.message.subject,
          at: now.toISOString(),
        },
      ];
  const summary = summarize({ lead: request.lead, conversation, intent, extracted, now });
  return { intent, optOutChannel, reason, tags, notifications, summary, extracted, reply: null };
}

/** The offline brain: built-in wording, phrase patterns and date parsing; no network, deterministic. */
export function createRulesAssistant(clock: Clock): Assistant {
  return {
    brain: "rules",
    write: async (request): Promise<Answer<Draft>> => answer(writeDraft(request)),
    read: async (request): Promise<Answer<Reading>> => answer(readReply(request, clock.now())),
    command: async (request): Promise<Answer<AssistantCommand>> => answer(parseCommand(request)),
  };
}
