/** What a tag's condition is for, under each box that edits one. */
export const CONDITION_HINT =
  "When the assistant should put this tag on a lead, in plain words (e.g. “The lead asked for a quote”). Empty: the tag is only set by hand.";

/** The form's `condition` box as the API takes it: trimmed, and null when empty (no condition). */
export function conditionOf(data: FormData): string | null {
  const value = String(data.get("condition") ?? "").trim();
  return value === "" ? null : value;
}
