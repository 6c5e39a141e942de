import { IANAZone } from "luxon";
import { z } from "zod";

/**
 * Names found valid so far. Luxon asks Intl anew on every check, which costs more than the rest
 * of a lead's validation (an import checks one per row); IANA has about 600 names, and the cap
 * bounds what spellings of them (case variants) a caller could make us keep.
 */
const validZones = new Set<string>();
const MAX_REMEMBERED = 2000;

export function isValidTimeZone(name: string): boolean {
  if (validZones.has(name)) return true;
  // Offsets like "UTC+3" are valid to Luxon but are not IANA names; the contract wants names.
  const valid = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name) && IANAZone.isValidZone(name);
  if (valid && validZones.size < MAX_REMEMBERED) validZones.add(name);
  return valid;
}

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: "must be an IANA time zone name, e.g. America/New_York" });
