import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { AdditionalInfoChange, JsonValue } from "../events/catalog.js";

/**
 * Any JSON value. It is recursive, so it carries an id: a JSON Schema made from it (the OpenAPI
 * document, http/server.ts) then holds it once, as a named definition its cycle can refer to.
 */
export const jsonValueSchema: z.ZodType<JsonValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(jsonValueSchema),
      z.record(z.string(), jsonValueSchema),
    ]),
  )
  .meta({ id: "JsonValue" });

/** Free-form CRM fields. Values are any JSON; keys are bounded so a lead stays a lead. */
export const additionalInfoSchema = z
  .record(z.string().min(1).max(200), jsonValueSchema)
  .refine((info) => Object.keys(info).length <= 500, { message: "at most 500 keys" });

export type AdditionalInfo = Record<string, JsonValue>;

/**
 * Merge rules of the contract: new keys are added, existing ones replaced, a key set to null is
 * removed. Returns the merged object and the keys that really changed, as `{ old, new }`.
 */
export function mergeAdditionalInfo(
  current: AdditionalInfo,
  patch: AdditionalInfo,
): { merged: AdditionalInfo; changes: Record<string, AdditionalInfoChange> } {
  const merged: AdditionalInfo = { ...current };
  const changes: Record<string, AdditionalInfoChange> = {};
  for (const [key, value] of Object.entries(patch)) {
    const before = Object.hasOwn(current, key) ? (current[key] ?? null) : null;
    if (value === null) {
      if (!Object.hasOwn(current, key)) continue;
      delete merged[key];
      changes[key] = { old: before, new: null };
      continue;
    }
    if (Object.hasOwn(current, key) && isDeepStrictEqual(before, value)) continue;
    merged[key] = value;
    changes[key] = { old: before, new: value };
  }
  return { merged, changes };
}
