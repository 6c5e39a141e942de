import { setTimeout as sleep } from "node:timers/promises";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import {
  APICallError,
  generateText,
  InvalidResponseDataError,
  JSONParseError,
  type LanguageModel,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
  TypeValidationError,
} from "ai";
import { DateTime } from "luxon";
import type { z } from "zod";
import {
  type Assistant,
  type AssistantCommand,
  BrainError,
  type Channel,
  type CommandRequest,
  type Draft,
  type Intent,
  type Reading,
  type ReadRequest,
} from "../../domain/assistant/assistant.js";
import {
  buildCommandPrompt,
  buildDraftPrompt,
  buildReadPrompt,
  type ChatPrompt,
  type CommandAnswer,
  commandAnswerSchema,
  type DraftAnswer,
  draftAnswerSchema,
  type ReadingAnswer,
  readingAnswerSchema,
} from "./llmPrompts.js";

export interface LlmAssistantOptions {
  /** Up to and including the version path, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  apiKey: string | null;
  /** Per HTTP request; a retry gets its own. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The longest Retry-After we sit through; longer ones go to the fallback instead of stalling a job. */
const MAX_RETRY_AFTER_MS = 5_000;
/** One retry after an invalid answer: a second invalid one means the model cannot do it now. */
const INVALID_ANSWER_TRIES = 2;
/** These intents get no reply, whatever the model proposes. */
const NO_REPLY_INTENTS: ReadonlySet<Intent> = new Set(["do_not_contact", "opt_out_channel", "wrong_number"]);

type Attempt<T> =
  | { kind: "answer"; value: T }
  | { kind: "invalid"; detail: string }
  | { kind: "rate_limited"; waitMs: number | null };

/** Error text may quote the request or the server's echo of it; the key must never leave here. */
function redactor(apiKey: string | null): (text: string) => string {
  return (text) => {
    const clean = apiKey ? text.split(apiKey).join("[redacted]") : text;
    return clean.length > 200 ? `${clean.slice(0, 197)}...` : clean;
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Milliseconds from `retry-after-ms` (OpenAI's) or `retry-after` (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | null {
  const exact = Number.parseFloat(headers?.["retry-after-ms"] ?? "");
  if (Number.isFinite(exact) && exact >= 0) return exact;
  const value = headers?.["retry-after"]?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(at - now, 0);
}

function isInvalidAnswer(error: unknown): boolean {
  return (
    NoObjectGeneratedError.isInstance(error) ||
    NoOutputGeneratedError.isInstance(error) ||
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error)
  );
}

/** Sorts a failed request into what the loop can act on; everything else is a BrainError, decided here. */
function classify<T>(
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  redact: (text: string) => string,
): Attempt<T> {
  if (timedOut) throw new BrainError(`timed out after ${timeoutMs} ms`, true);
  if (isInvalidAnswer(error)) return { kind: "invalid", detail: redact(messageOf(error)) };
  if (!APICallError.isInstance(error)) throw new BrainError(redact(`failed: ${messageOf(error)}`), true);
  const status = error.statusCode;
  if (status === undefined) throw new BrainError(redact(`could not be reached: ${error.message}`), true);
  if (status === 429) return { kind: "rate_limited", waitMs: retryAfterMs(error.responseHeaders) };
  if (status >= 500) throw new BrainError(`answered HTTP ${status}`, true);
  // A 2xx that fails here carried a body that is not a chat completion: an invalid answer.
  if (status < 300) return { kind: "invalid", detail: redact(error.message) };
  throw new BrainError(redact(`refused the request (HTTP ${status}: ${error.message})`), error.isRetryable);
}

function createAsk(model: LanguageModel, options: LlmAssistantOptions) {
  const redact = redactor(options.apiKey);

  const attempt = async <T>(schema: z.ZodType<T>, name: string, prompt: ChatPrompt): Promise<Attempt<T>> => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const result = await generateText({
        model,
        system: prompt.system,
        messages: prompt.messages,
        output: Output.object({ schema, name }),
        // Retries are ours: the SDK's would wait out any Retry-After and retry invalid answers never.
        maxRetries: 0,
        abortSignal: signal,
      });
      // The SDK validates with the same schema today; checking here keeps that a guarantee.
      const checked = schema.safeParse(result.output);
      return checked.success
        ? { kind: "answer", value: checked.data }
        : { kind: "invalid", detail: redact(checked.error.message) };
    } catch (error) {
      return classify(error, signal.aborted, options.timeoutMs, redact);
    }
  };

  return async <T>(schema: z.ZodType<T>, name: string, prompt: ChatPrompt): Promise<T> => {
    let invalidTries = 0;
    let waited = false;
    for (;;) {
      const outcome = await attempt(schema, name, prompt);
      if (outcome.kind === "answer") return outcome.value;
      if (outcome.kind === "invalid") {
        invalidTries += 1;
        if (invalidTries >= INVALID_ANSWER_TRIES) {
          throw new BrainError(`gave no valid answer in ${invalidTries} tries (${outcome.detail})`, false);
        }
        continue;
      }
      const { waitMs } = outcome;
      if (waited) throw new BrainError("is still rate limited (HTTP 429) after waiting", true);
      if (waitMs === null) throw new BrainError("is rate limited (HTTP 429, no Retry-After)", true);
      if (waitMs > MAX_RETRY_AFTER_MS) {
        throw new BrainError(`is rate limited (HTTP 429, Retry-After ${Math.ceil(waitMs / 1000)} s)`, true);
      }
      waited = true;
      await sleep(waitMs);
    }
  };
}

function toDraft(answer: DraftAnswer, channel: Channel): Draft {
  const subject = channel === "email" ? answer.subject?.trim() || null : null;
  return { text: answer.text.trim(), subject };
}

/** Keeps only what was offered: ids the model invents and keys the profile does not extract are dropped. */
function toReading(answer: ReadingAnswer, request: ReadRequest): Reading {
  const tagIds = new Set(request.tags.map((tag) => tag.id));
  const ruleIds = new Set(request.notifications.map((rule) => rule.id));
  const notifications = new Map<string, string>();
  for (const { id, message } of answer.notifications) {
    if (ruleIds.has(id) && !notifications.has(id)) notifications.set(id, message.trim());
  }
  const keys = new Set(request.profile.extract);
  const extracted = new Map<string, string>();
  for (const { key, value } of answer.extracted) {
    if (keys.has(key) && value.trim() !== "" && !extracted.has(key)) extracted.set(key, value.trim());
  }
  const reply = NO_REPLY_INTENTS.has(answer.intent) || answer.reply === null ? null : answer.reply;
  return {
    intent: answer.intent,
    reason: answer.reason.trim(),
    tags: [...new Set(answer.tags.filter((id) => tagIds.has(id)))],
    notifications: [...notifications].map(([id, message]) => ({ id, message })),
    summary: answer.summary.trim(),
    // fromEntries defines own properties, so a key such as "__proto__" stays plain data.
    extracted: Object.fromEntries(extracted),
    reply: reply === null ? null : toDraft(reply, request.message.channel),
  };
}

/** A time with a time of day, in ISO 8601; one without an offset is read in the request's zone. */
function parseAt(at: string | null, request: CommandRequest): Date | string {
  if (at === null || !/T\d{2}:\d{2}/.test(at)) return `no time given ("${at ?? ""}")`;
  const parsed = DateTime.fromISO(at.trim(), { zone: request.timeZone });
  if (!parsed.isValid) return `could not read the time "${at}"`;
  const date = parsed.toJSDate();
  // A minute's grace: "follow up now" comes back as about now.
  if (date.getTime() < request.now.getTime() - 60_000) return `the time ${at} is in the past`;
  return date;
}

function toCommand(answer: CommandAnswer, request: CommandRequest): AssistantCommand {
  switch (answer.kind) {
    case "send": {
      const text = answer.text?.trim() ?? "";
      return text === "" ? { kind: "not_understood", reason: "no message to send" } : { kind: "send", text };
    }
    case "follow_up_at": {
      const at = parseAt(answer.at, request);
      return typeof at === "string" ? { kind: "not_understood", reason: at } : { kind: "follow_up_at", at };
    }
    case "stop_follow_ups":
    case "assistant_off":
      return { kind: answer.kind };
    case "not_understood":
      return {
        kind: "not_understood",
        reason: answer.reason?.trim() || "the instruction was not understood",
      };
  }
}

/** The `llm` brain: one chat completion per call, answers requested as strict JSON schemas. */
export function createLlmAssistant(options: LlmAssistantOptions): Assistant {
  const provider = createOpenAICompatible({
    name: "llm",
    baseURL: options.baseUrl,
    apiKey: options.apiKey ?? undefined,
    supportsStructuredOutputs: true,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const ask = createAsk(provider.chatModel(options.model), options);
  return {
    brain: "llm",
    async write(request) {
      const answer = await ask(draftAnswerSchema, "draft", buildDraftPrompt(request));
      return { value: toDraft(answer, request.channel), brain: "llm" };
    },
    async read(request) {
      const answer = await ask(readingAnswerSchema, "reading", buildReadPrompt(request));
      return { value: toReading(answer, request), brain: "llm" };
    },
    async command(request) {
      const answer = await ask(commandAnswerSchema, "command", buildCommandPrompt(request));
      return { value: toCommand(answer, request), brain: "llm" };
    },
  };
}
