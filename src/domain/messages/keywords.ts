export type InboundKeyword = "stop" | "start" | "help";

/** Carrier-standard words (messaging.md, "Opt-out"); the org may add more opt-out words. */
const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
const START_WORDS = new Set(["START", "YES", "UNSTOP"]);
const HELP_WORDS = new Set(["HELP", "INFO"]);

/**
 * Phones pad replies with more than ASCII blanks: no-break spaces, line separators, and the
 * zero-width characters some keyboards insert, which `trim()` leaves in place.
 */
const EDGE_BLANKS = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/gu;

/** NFKC folds full-width letters (ＳＴＯＰ) to plain ones; upper case matches how settings store keywords. */
function normalise(word: string): string {
  return word.normalize("NFKC").replace(EDGE_BLANKS, "").toUpperCase();
}

/**
 * The keyword an inbound SMS is, or null: the whole message must be exactly one keyword, so
 * "stop please" is a conversation, not an opt-out. Opt-out words are checked first so an
 * overlapping extra keyword can only ever err toward honouring a stop.
 */
export function classifyInbound(text: string, extraStopKeywords: readonly string[]): InboundKeyword | null {
  const word = normalise(text);
  if (word === "") return null;
  if (STOP_WORDS.has(word) || extraStopKeywords.some((extra) => normalise(extra) === word)) return "stop";
  if (START_WORDS.has(word)) return "start";
  if (HELP_WORDS.has(word)) return "help";
  return null;
}
