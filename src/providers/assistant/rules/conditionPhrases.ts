import { type Intent, intentSchema } from "../../../domain/assistant/assistant.js";
import { leadWrittenPart } from "./readIntent.js";

/**
 * How the rules brain reads a tag or notification condition: a comma-separated list of phrases,
 * any of which must appear in what the lead wrote. An item `intent:<name>` holds when the reply
 * was read as that intent, so "intent:booking, call me" is true for a booking or for "call me".
 */
export function matchCondition(
  condition: string,
  texts: readonly string[],
  intent?: Intent,
): string | undefined {
  const written = texts.map((text) => comparable(leadWrittenPart(text)));
  for (const item of condition.split(",")) {
    const phrase = item.trim();
    if (phrase === "") continue;
    const wanted = /^intent\s*:\s*(\S+)$/i.exec(phrase);
    if (wanted !== null) {
      const parsed = intentSchema.safeParse(wanted[1]?.toLowerCase());
      if (parsed.success && parsed.data === intent) return `intent:${parsed.data}`;
      continue;
    }
    const pattern = phrasePattern(phrase);
    if (pattern !== undefined && written.some((text) => pattern.test(text))) return phrase;
  }
  return undefined;
}

/** One sentence fragment saying why a condition matched. */
export function describeMatch(phrase: string): string {
  const intent = /^intent:(\S+)$/.exec(phrase);
  if (intent !== null) return `the lead's reply was read as ${(intent[1] ?? "").replace(/_/g, " ")}`;
  return `the lead wrote "${phrase}"`;
}

/**
 * Case, accents, curly quotes and apostrophes do not matter ("don’t" is "dont"), and runs of
 * spaces are one space, so a condition matches however the lead typed it.
 */
function comparable(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201B\u02BC]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/(\p{L})'(\p{L})/gu, "$1$2")
    .replace(/\s+/g, " ");
}

/**
 * The phrase on word boundaries, with an optional plural ("price" finds "the price?" and "prices"
 * but "car" does not find "scary"). A phrase that starts or ends with a symbol ("$", "?") is not
 * bounded on that side, since a symbol has no word to run into.
 */
function phrasePattern(phrase: string): RegExp | undefined {
  const words = comparable(phrase).trim();
  if (words === "") return undefined;
  const escaped = words
    .split(" ")
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("\\s+");
  const opensWithWord = /^[\p{L}\p{N}]/u.test(words);
  const closesWithWord = /[\p{L}\p{N}]$/u.test(words);
  const before = opensWithWord ? "(?<![\\p{L}\\p{N}])" : "";
  const plural = /\p{L}$/u.test(words) ? "(?:e?s)?" : "";
  const after = closesWithWord ? "(?![\\p{L}\\p{N}])" : "";
  return new RegExp(`${before}${escaped}${plural}${after}`, "u");
}
