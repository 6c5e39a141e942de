import type { TimelineEntry } from "../api/types";

/** A timeline entry as the thread shows it; `data` is read defensively (new types may appear). */
export type ThreadItem =
  | {
      kind: "message";
      id: string;
      at: string;
      direction: "INBOUND" | "OUTBOUND";
      channel: string;
      subject: string | null;
      text: string;
      status: string | null;
      aiGenerated: boolean;
    }
  | { kind: "blocked"; id: string; at: string; channel: string; text: string; reason: string }
  | {
      kind: "decision";
      id: string;
      at: string;
      tool: string;
      brain: string;
      intent: string | null;
      result: string;
      reason: string;
    }
  | { kind: "context"; id: string; at: string; context: string | null; command: string | null }
  | { kind: "other"; id: string; at: string; type: string };

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function toItem(entry: TimelineEntry): ThreadItem {
  const data = record(entry.data);
  const content = record(data.content);
  const base = { id: entry.id, at: entry.timestamp };
  switch (entry.type) {
    case "MESSAGE":
    case "EMAIL":
      return {
        ...base,
        kind: "message",
        direction: data.direction === "INBOUND" ? "INBOUND" : "OUTBOUND",
        channel: text(data.deliveryChannel) ?? (entry.type === "EMAIL" ? "EMAIL" : "SMS"),
        subject: text(content.subject),
        text: text(content.text) ?? "",
        status: text(data.status),
        aiGenerated: data.isAiGenerated === true,
      };
    case "COMPLIANCE_BLOCKED":
      return {
        ...base,
        kind: "blocked",
        channel: text(data.deliveryChannel) ?? "",
        text: text(content.text) ?? "",
        reason: text(data.reason) ?? "no reason given",
      };
    case "TOOL_CALL":
      return {
        ...base,
        kind: "decision",
        tool: text(data.tool) ?? "unknown",
        brain: text(data.brain) ?? "",
        intent: text(data.intent),
        result: text(data.result) ?? "",
        reason: text(data.reason) ?? "",
      };
    case "CUSTOM":
      return { ...base, kind: "context", context: text(data.context), command: text(data.command) };
    default:
      return { ...base, kind: "other", type: entry.type };
  }
}

/** The thread in the order things happened (the API pages by last update). */
export function threadItems(entries: readonly TimelineEntry[]): ThreadItem[] {
  return [...entries]
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id))
    .map(toItem);
}
