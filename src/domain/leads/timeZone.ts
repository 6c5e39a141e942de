import { IANAZone } from "luxon";
import { z } from "zod";

export function isValidTimeZone(name: string): boolean {
  // Offsets like "UTC+3" are valid to Luxon but are not IANA names; the contract wants names.
  return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name) && IANAZone.isValidZone(name);
}

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: "must be an IANA time zone name, e.g. America/New_York" });
