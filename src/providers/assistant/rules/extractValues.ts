import { leadWrittenPart } from "./readIntent.js";

/**
 * Profile `extract` keys found in the lead's message. A value is taken only where the lead wrote
 * it: after the key's own words ("my budget is around $450k") or, for keys whose kind is known
 * (money, date, count, zip, email, phone), as a value of that kind near the key's other words
 * ("we'd like to move in by March 15" for `moveInDate`). Nothing is guessed or reformatted.
 */
export function extractValues(keys: readonly string[], text: string): Record<string, string> {
  const written = leadWrittenPart(text);
  const found: Record<string, string> = {};
  for (const key of keys) {
    const value = valueFor(key, written);
    if (value !== undefined) found[key] = value;
  }
  return found;
}

const MAX_LENGTH = 200;

type Kind = "email" | "phone" | "zip" | "money" | "date" | "count" | "text";

/** "moveInDate" → ["move", "in", "date"]; "zip_code" → ["zip", "code"]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_\-.]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== "");
}

function kindOf(words: readonly string[]): Kind {
  const joined = words.join("");
  if (/email/.test(joined)) return "email";
  if (/phone|mobile|cell/.test(joined)) return "phone";
  if (/zip|postal|postcode/.test(joined)) return "zip";
  if (/budget|price|cost|amount|rent|salary|income|payment|spend/.test(joined)) return "money";
  if (/date|when|movein|start|timeline|timeframe|deadline/.test(joined)) return "date";
  if (/bedroom|bathroom|beds|baths|rooms|size|sqft|feet|footage|count|number|qty|quantity|units/.test(joined))
    return "count";
  return "text";
}

/** Words that only say what kind a key is; the rest ("move", "down") must be near an unlabelled value. */
const KIND_WORDS = new Set(
  "date when time timeline timeframe deadline day budget price cost amount number count num total qty quantity size of the a in is email address phone zip code postal postcode max min maximum minimum target desired ideal estimated monthly yearly annual".split(
    " ",
  ),
);

const MONEY =
  /(?:(?:under|up to|max|maximum|below|less than|no more than|at most|at least|over|above|min|minimum)\s+)?\$\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|mm|thousand|million|mil)?\b(?:\s?(?:-|–|to)\s?\$?\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|mm|thousand|million|mil)?\b)?(?:\s?(?:\/\s?(?:mo|month|yr|year)|a month|per month|a year|per year|monthly|annually))?|(?:(?:under|up to|max|maximum|below|less than|no more than|at most|at least|over|above)\s+)?\b\d[\d,]*(?:\.\d+)?\s?(?:k|m|mm|thousand|million|mil)\b(?:\s?(?:-|–|to)\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|mm|thousand|million|mil)?\b)?(?:\s?(?:\/\s?(?:mo|month|yr|year)|a month|per month|a year|per year|monthly|annually))?|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b(?:\s?(?:\/\s?(?:mo|month|yr|year)|a month|per month|a year|per year|monthly|annually))?/gi;

const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const MONTH_NOT_MAY =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const SEASON = "(?:spring|summer|fall|autumn|winter)";
const DATE = new RegExp(
  [
    `\\b(?:early|mid|late|end of|beginning of|start of|middle of)[\\s-]+${MONTH}\\b`,
    `\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`,
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b(?:,?\\s+\\d{4})?`,
    "\\b\\d{4}-\\d{2}-\\d{2}\\b",
    "\\b\\d{1,2}\\/\\d{1,2}(?:\\/\\d{2,4})?\\b",
    `\\b(?:(?:the\\s+)?(?:end|beginning|start|middle)\\s+of\\s+(?:the\\s+|this\\s+|next\\s+)?(?:week|month|year|${SEASON}))\\b`,
    `\\b(?:next|this|in the)\\s+(?:week|month|year|${SEASON}|${WEEKDAY})\\b`,
    "\\bin\\s+(?:a|an|one|two|three|four|five|six|a few|a couple(?:\\s+of)?|\\d+)\\s+(?:days?|weeks?|months?|years?)\\b",
    "\\bwithin\\s+(?:a|an|the next|\\d+|a few|a couple(?:\\s+of)?)\\s*(?:days?|weeks?|months?|years?)\\b",
    "\\b\\d+\\s*(?:-|–|to)\\s*\\d+\\s+(?:days|weeks|months|years)\\b",
    // "by March 15" is the date "March 15": the preposition is left out of the value.
    `(?<=\\b(?:in|by|before|after|around|until)\\s+)${MONTH}\\b(?:\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?\\b)?(?:,?\\s+\\d{4})?`,
    `\\b(?:on\\s+)?${WEEKDAY}\\b`,
    `\\b(?:in|by|this|next)\\s+(?:the\\s+)?${SEASON}\\b`,
    "\\b(?:asap|as soon as possible|right away|immediately|tomorrow|today)\\b",
    // A month on its own, but not "may", which is far more often the verb.
    `\\b${MONTH_NOT_MAY}\\b(?:\\s+\\d{4})?`,
  ].join("|"),
  "gi",
);

const NUMBER_WORDS: Record<string, string> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  studio: "0",
};
const NUMBER =
  "(\\d[\\d,]*(?:\\.\\d+)?(?:\\s?(?:-|–|to|or)\\s?\\d+(?:\\.\\d+)?)?|one|two|three|four|five|six|seven|eight|nine|ten)";

/** The unit words a count is written with: "3 bedrooms", "2 br", "1,800 sq ft". */
function unitsFor(words: readonly string[]): string[] {
  const joined = words.join(" ");
  if (/bed/.test(joined)) return ["bedrooms?", "beds?", "br", "bd", "bdrms?", "bdr", "bed ?rooms?"];
  if (/bath/.test(joined)) return ["bathrooms?", "baths?", "ba"];
  if (/sqft|footage|size|area|feet/.test(joined))
    return ["sq\\.? ?ft\\.?", "sqft", "square feet", "square foot", "sf", "acres?"];
  const units = words.filter((word) => !KIND_WORDS.has(word) && word.length > 2);
  return units.map((word) => `${word.replace(/s$/, "")}s?`);
}

function valueFor(key: string, text: string): string | undefined {
  const words = keyWords(key);
  if (words.length === 0) return undefined;
  const kind = kindOf(words);
  const labelled = labelledValue(words, text, kind === "text");
  if (labelled !== undefined) {
    if (kind === "text") return trim(labelled);
    const typed = typedValues(kind, words, labelled)[0];
    if (typed !== undefined) return trim(typed.value);
  }
  if (kind === "text") return organisationValue(words, text);
  // Unlabelled money and dates must sit in a sentence that holds the key's other words ("move"
  // for moveInDate, "down" for downPayment), and the one nearest to them is taken.
  const cues =
    kind === "money" || kind === "date"
      ? words.filter((w) => !KIND_WORDS.has(w) && w.length > 2).map(stem)
      : [];
  for (const sentence of text.split(/(?<=[.!?;\n])\s+/)) {
    const found = typedValues(kind, words, sentence);
    if (found.length === 0) continue;
    if (cues.length === 0) return trim(found[0]?.value ?? "");
    const cueAt = cues.flatMap((cue) =>
      [...sentence.matchAll(new RegExp(`\\b${cue}`, "gi"))].map((m) => m.index),
    );
    if (cueAt.length === 0) continue;
    const distance = (at: number) => Math.min(...cueAt.map((cue) => Math.abs(cue - at)));
    const nearest = [...found].sort((a, b) => distance(a.index) - distance(b.index))[0];
    if (nearest !== undefined) return trim(nearest.value);
  }
  return undefined;
}

/** "I work at Acme Realty" for a `company` or `employer` key. */
function organisationValue(words: readonly string[], text: string): string | undefined {
  if (!words.some((word) => /^(?:company|employer|business|organization|organisation|firm)$/.test(word)))
    return undefined;
  const found =
    /\b(?:[Ii]\s+(?:work|am)|[Ii]'m|[Ww]e\s+(?:work|are)|[Ww]e're)\s+(?:at|for|with)\s+([A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|&|of))*)/.exec(
      text,
    );
  return found?.[1] === undefined ? undefined : trim(found[1]);
}

/** "move" finds "moving", "start" finds "starting". */
function stem(word: string): string {
  const base = word.replace(/(?:ing|ed|es|e|s)$/, "");
  return (base.length >= 3 ? base : word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * "<key words> is/:/of/around/about/= <value>", up to the end of the clause. A free-text key must
 * not follow "your" or "the": "your company is great" says nothing about the lead's company.
 */
function labelledValue(words: readonly string[], text: string, ownOnly: boolean): string | undefined {
  const label = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s_-]*");
  const connector =
    "(?:\\s*(?::|=|-|–|\\bis\\b|\\bare\\b|\\bwas\\b|\\bwill be\\b|\\bwould be\\b|\\bshould be\\b|\\bof\\b|\\baround\\b|\\babout\\b|\\bapprox(?:imately|\\.)?|\\broughly\\b|~))+";
  const pattern = new RegExp(`\\b${label}s?${connector}\\s*([^\\n;!?]+)`, "gi");
  for (const found of text.matchAll(pattern)) {
    const before = text.slice(Math.max(0, found.index - 12), found.index);
    if (ownOnly && /\b(?:your|ur|the|this|that|a|an)\s+$/i.test(before)) continue;
    // The clause ends at a full stop or comma followed by a space, not at "$4.5k" or "1,800".
    const value =
      (found[1] ?? "")
        .split(/[.,](?=\s|$)|\s+(?:and|but)\s+(?:i|we|my|our|the|it|i'm|we're)\b/i)[0]
        ?.trim() ?? "";
    if (value !== "") return value;
  }
  return undefined;
}

interface Found {
  value: string;
  index: number;
}

function all(pattern: RegExp, text: string, group = 0): Found[] {
  return [...text.matchAll(pattern)].flatMap((match) => {
    const value = match[group];
    return value === undefined ? [] : [{ value: value.trim(), index: match.index }];
  });
}

function typedValues(kind: Kind, words: readonly string[], text: string): Found[] {
  switch (kind) {
    case "email":
      // Without an "@" the pattern would only backtrack over the whole message.
      return text.includes("@") ? all(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, text) : [];
    case "phone":
      return all(/(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g, text);
    case "zip":
      return all(/(?<![\d$,.])\b(\d{5})(?:-\d{4})?\b(?!\d|,\d|\s?k\b)/gi, text, 1);
    case "money":
      return all(MONEY, text);
    case "date":
      return all(DATE, text);
    case "count": {
      const units = unitsFor(words);
      if (units.length > 0) {
        const pattern = new RegExp(`\\b${NUMBER}[\\s-]*(?:${units.join("|")})\\b`, "gi");
        const counts = all(pattern, text, 1).map((found) => ({
          ...found,
          value: NUMBER_WORDS[found.value.toLowerCase()] ?? found.value,
        }));
        if (counts.length > 0) return counts;
        if (/bed/.test(words.join(" "))) {
          const studio = /\bstudio\b/i.exec(text);
          if (studio !== null) return [{ value: "0", index: studio.index }];
        }
      }
      // A labelled count that is just a number: "bedrooms: 3".
      return all(/^\s*(\d[\d,]*(?:\.\d+)?)\s*$/g, text, 1);
    }
    case "text":
      return [];
  }
}

function trim(value: string): string | undefined {
  const cleaned = value
    .replace(/\s+/g, " ")
    .replace(/^[\s"'“”‘’]+|[\s"'“”‘’.,;:!?]+$/g, "")
    .trim();
  if (cleaned === "") return undefined;
  return cleaned.length > MAX_LENGTH ? cleaned.slice(0, MAX_LENGTH).trimEnd() : cleaned;
}
