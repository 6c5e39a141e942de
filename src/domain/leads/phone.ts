import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";

const ACCEPTED_CHARACTERS = /^\+[0-9 ()-]+$/;

/** E.164 for an accepted phone (`+`, digits, spaces, parentheses, hyphens), or undefined. */
export function normalizePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!ACCEPTED_CHARACTERS.test(trimmed)) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed);
  if (parsed === undefined || !parsed.isPossible()) return undefined;
  return parsed.number;
}

export const phoneSchema = z.string().transform((value, ctx) => {
  const e164 = normalizePhone(value);
  if (e164 === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "must be a possible phone number with a country code, e.g. +1 (202) 555-0189",
    });
    return z.NEVER;
  }
  return e164;
});
