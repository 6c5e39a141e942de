/**
 * How a lead search's free text (`q`) is matched: the full name ("first last") and the email
 * contain it, ignoring case; a text that looks like part of a phone number (digits with `+`,
 * spaces, parentheses, dots or hyphens, at least 3 digits) also matches phones holding those
 * digits in that order. Patterns are for `LIKE … ESCAPE '\'`, wildcards in the text escaped.
 */
export interface SearchText {
  /** `%text%`, lowercased, for the name and the email. */
  contains: string;
  /** `%digits%` for the E.164 phone, or null when the text is not a phone fragment. */
  phoneDigits: string | null;
}

const PHONE_FRAGMENT = /^[+\d\s().-]+$/;
const MIN_PHONE_DIGITS = 3;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The patterns for a search text, or null when it has nothing to search for (blank). */
export function searchTextOf(q: string | undefined): SearchText | null {
  const text = (q ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  if (text === "") return null;
  const digits = text.replace(/\D/g, "");
  return {
    contains: `%${escapeLike(text)}%`,
    phoneDigits: PHONE_FRAGMENT.test(text) && digits.length >= MIN_PHONE_DIGITS ? `%${digits}%` : null,
  };
}
