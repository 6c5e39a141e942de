import type { NewTimelineEntry } from "../timeline/timeline.js";
import type { BrainName, Intent } from "./assistant.js";

/** What the assistant did, as the operator reads it on the lead's timeline (assistant.md). */
export interface ToolCall {
  tool: string;
  brain: BrainName;
  intent?: Intent | undefined;
  result: string;
  reason: string;
  /** The message the decision is about, when there is one. */
  messageId?: string | undefined;
}

export function toolCallEntry(orgId: string, leadId: string, at: Date, call: ToolCall): NewTimelineEntry {
  const { intent, messageId, ...rest } = call;
  return {
    orgId,
    leadId,
    type: "TOOL_CALL",
    at,
    data: {
      ...rest,
      ...(intent === undefined ? {} : { intent }),
      ...(messageId === undefined ? {} : { messageId }),
    },
  };
}

/** A reason with the brain's fallbacks and rewrites appended, so nothing it did is hidden. */
export function withNotes(reason: string, notes: readonly string[]): string {
  return notes.length === 0 ? reason : `${reason} (${notes.join("; ")})`;
}
