import type { Logger } from "pino";
import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { type Answer, type Assistant, STOP_INTENTS } from "../../domain/assistant/assistant.js";
import type { AssistantFor } from "../../domain/assistant/assistantFor.js";
import type { SecretBox } from "../../secretBox.js";
import { withFallback } from "./fallbackAssistant.js";
import { createLlmAssistant } from "./llmAssistant.js";
import { createRulesAssistant } from "./rulesAssistant.js";

/** Orgs with their own model: a handful of clients, kept while their settings stay the same. */
const MAX_ORG_CLIENTS = 100;

/** The rules brain's answers, saying why the chosen model was not asked. */
function explained(rules: Assistant, why: string): Assistant {
  const note = <T>(a: Answer<T>): Answer<T> => ({ ...a, fallback: why });
  return {
    brain: "rules",
    write: async (request) => note(await rules.write(request)),
    read: async (request) => note(await rules.read(request)),
    command: async (request) => note(await rules.command(request)),
  };
}

/**
 * A model's reading, except that a stop the rules brain reads wins: missing a request to stop is
 * the worst error there is (assistant.md), and the phrase patterns are measured for it.
 */
function stopsWin(model: Assistant, rules: Assistant): Assistant {
  return {
    brain: model.brain,
    write: (request) => model.write(request),
    command: (request) => model.command(request),
    read: async (request) => {
      const [answer, safety] = await Promise.all([model.read(request), rules.read(request)]);
      if (STOP_INTENTS.has(answer.value.intent) || !STOP_INTENTS.has(safety.value.intent)) return answer;
      return {
        ...answer,
        value: {
          ...answer.value,
          intent: safety.value.intent,
          reason: `${safety.value.reason}; the model read ${answer.value.intent}, but a stop read by either brain wins`,
          reply: null,
        },
      };
    },
  };
}

/**
 * Picks each org's brain from its settings (`assistant.provider`: `server` follows
 * ASSISTANT_PROVIDER) and model (its own `assistant.llm`, else LLM_*). Every model answer falls
 * back to the rules brain on failure, saying so, and a stop the rules brain reads always wins.
 */
export function createAssistantChooser(options: {
  config: Config["assistant"];
  secrets: SecretBox;
  clock: Clock;
  logger: Logger;
  /**
   * How requests to an org's own model server travel: an org's admin chooses that URL, so it
   * gets the webhooks' public-address-only connections (the server's own LLM_BASE_URL is the
   * operator's, and may well be a model on this machine).
   */
  orgFetch?: typeof fetch;
}): AssistantFor {
  const { config, secrets, logger } = options;
  const rules = createRulesAssistant(options.clock);
  const onFallback = (what: string, error: unknown) =>
    logger.warn({ err: error, what }, "the model failed; the rules brain answered");
  const llm = (baseUrl: string, model: string, apiKey: string | null, fetch?: typeof globalThis.fetch) =>
    stopsWin(
      withFallback(
        createLlmAssistant({
          baseUrl,
          model,
          apiKey,
          timeoutMs: config.timeoutMs,
          ...(fetch ? { fetch } : {}),
        }),
        rules,
        onFallback,
      ),
      rules,
    );
  const server = config.llm && llm(config.llm.baseUrl, config.llm.model, config.llm.apiKey ?? null);
  const noModel = explained(
    rules,
    "no model is configured (LLM_BASE_URL and LLM_MODEL, or settings assistant.llm); used rules",
  );
  const byOrgModel = new Map<string, Assistant>();
  return (settings) => {
    const choice = settings.assistant.provider === "server" ? config.provider : settings.assistant.provider;
    if (choice === "rules") return rules;
    const own = settings.assistant.llm;
    if (own === null) return server ?? noModel;
    const key = `${own.baseUrl}\n${own.model}\n${own.apiKey ?? ""}`;
    let assistant = byOrgModel.get(key);
    if (assistant === undefined) {
      if (byOrgModel.size >= MAX_ORG_CLIENTS) byOrgModel.clear();
      assistant = llm(
        own.baseUrl,
        own.model,
        own.apiKey === null ? null : secrets.reveal(own.apiKey),
        options.orgFetch,
      );
      byOrgModel.set(key, assistant);
    }
    return assistant;
  };
}
