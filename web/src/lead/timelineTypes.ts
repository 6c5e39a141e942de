/** The timeline types the conversation can be narrowed to (`?types=` on the Lead screen, as the API spells them). */
export const TIMELINE_FILTERS = [
  { type: "MESSAGE", label: "SMS" },
  { type: "EMAIL", label: "Email" },
  { type: "TOOL_CALL", label: "Assistant decisions" },
  { type: "CUSTOM", label: "Context notes" },
  { type: "COMPLIANCE_BLOCKED", label: "Blocked sends" },
] as const;

const KNOWN: ReadonlySet<string> = new Set(TIMELINE_FILTERS.map((f) => f.type));

/** The chosen types from the URL, known ones only, in catalogue order; none means everything. */
export function readTimelineTypes(params: URLSearchParams): string[] {
  const chosen = new Set((params.get("types") ?? "").split(","));
  return TIMELINE_FILTERS.map((f) => f.type).filter((type) => chosen.has(type) && KNOWN.has(type));
}
