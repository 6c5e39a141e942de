import { z } from "zod";

/**
 * The assistant: one interface, two brains. `rules` is offline and deterministic; `llm` speaks the
 * OpenAI Chat Completions protocol. Domain code asks for drafts, readings and commands and never
 * knows which brain answered, except to write it on the timeline.
 */
export type BrainName = "rules" | "llm";

export const INTENTS = [
  "do_not_contact",
  "opt_out_channel",
  "wrong_number",
  "not_interested",
  "question",
  "interested",
  "booking",
  "other",
] as const;
export const intentSchema = z.enum(INTENTS);
export type Intent = z.infer<typeof intentSchema>;

/** Intents that stop contact: missing one of these is the worst error the assistant can make. */
export const STOP_INTENTS: ReadonlySet<Intent> = new Set(["do_not_contact", "opt_out_channel"]);

export type Channel = "sms" | "email";

export interface ConversationTurn {
  direction: "inbound" | "outbound";
  channel: Channel;
  text: string;
  subject: string | null;
  /** ISO 8601 UTC. */
  at: string;
}

/** What the assistant knows about who we are (the lead's customer profile and the org's settings). */
export interface AssistantProfile {
  name: string;
  description: string | null;
  /** Free text: who we are, what we offer, tone, what to ask. */
  instructions: string | null;
  /** The one link the assistant may share besides the unsubscribe link and allowed domains. */
  bookingUrl: string | null;
  /** Keys to pull from replies into additionalInfo, e.g. `budget`, `moveInDate`. */
  extract: readonly string[];
  assistantName: string;
  /** When true the assistant introduces itself as an assistant and never claims to be a person. */
  discloseAi: boolean;
}

export interface AssistantLead {
  firstName: string;
  lastName: string;
  timeZone: string | null;
  additionalInfo: Record<string, unknown>;
  summary: string | null;
}

export type DraftPurpose = "initial" | "step" | "nurture" | "reply" | "close";

export interface DraftRequest {
  purpose: DraftPurpose;
  channel: Channel;
  /** The follow-up step number for `step`, else null. */
  step: number | null;
  profile: AssistantProfile;
  lead: AssistantLead;
  /** Oldest first, the last few dozen turns at most. */
  conversation: readonly ConversationTurn[];
  /** For `reply` and `close`: how the lead's last message was read. */
  intent: Intent | null;
  /** Longest SMS text allowed (characters). */
  maxSmsLength: number;
  /** Set on a rewrite: why the previous draft was refused, so the brain can fix it. */
  problem: string | null;
}

export interface Draft {
  text: string;
  /** Email only; null for SMS. */
  subject: string | null;
}

export interface ConditionRule {
  /** A tag id or notification rule id. */
  id: string;
  name: string;
  /** rules brain: comma-separated phrases, any of which must appear; llm: plain English. */
  condition: string;
}

export interface ReadRequest {
  message: { channel: Channel; text: string; subject: string | null };
  /** Oldest first; the message being read is the last inbound turn. */
  conversation: readonly ConversationTurn[];
  profile: AssistantProfile;
  lead: AssistantLead;
  /** Tags with a condition that the lead does not carry yet. */
  tags: readonly ConditionRule[];
  /** Enabled notification rules that apply to this channel. */
  notifications: readonly ConditionRule[];
}

export interface Reading {
  intent: Intent;
  /**
   * For `opt_out_channel`: the channel the lead asked to stop, when not the one it wrote on ("no
   * more emails", by SMS), or `call` ("no calls please, text only": recorded for when voice exists).
   */
  optOutChannel?: Channel | "call" | undefined;
  /** One sentence: why this intent. */
  reason: string;
  /** Ids of the tags whose condition is now true. */
  tags: string[];
  /** Notification rules that matched, each with one sentence saying why. */
  notifications: { id: string; message: string }[];
  /** A few sentences about where the conversation stands. */
  summary: string;
  /** Profile `extract` keys found in the message, with their values. */
  extracted: Record<string, string>;
  /** The reply the brain proposes (for question, interested, booking, other, and the close for not_interested); null for none. */
  reply: Draft | null;
}

export type AssistantCommand =
  | { kind: "send"; text: string }
  | { kind: "follow_up_at"; at: Date }
  | { kind: "stop_follow_ups" }
  | { kind: "assistant_off" }
  | { kind: "not_understood"; reason: string };

export interface CommandRequest {
  command: string;
  now: Date;
  /** The lead's zone (or the org's default) for "Friday at 10am". */
  timeZone: string;
}

/** A brain's answer and who gave it; `fallback` says why the llm brain's answer was not used. */
export interface Answer<T> {
  value: T;
  brain: BrainName;
  fallback?: string;
}

export interface Assistant {
  readonly brain: BrainName;
  write(request: DraftRequest): Promise<Answer<Draft>>;
  read(request: ReadRequest): Promise<Answer<Reading>>;
  command(request: CommandRequest): Promise<Answer<AssistantCommand>>;
}

/** A brain that cannot answer throws this (timeouts, protocol errors, invalid answers after the retry). */
export class BrainError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "BrainError";
  }
}
