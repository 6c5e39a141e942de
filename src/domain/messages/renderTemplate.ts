export interface TemplateVars {
  firstName: string;
  lastName: string;
  aiName: string;
  additionalInfo: Record<string, unknown>;
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/**
 * The same grammar as `templateVariables` in profiles/templates.ts (which does not export its
 * pattern); the tests pin the two together so a saved template renders the variables it was checked for.
 */
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const INFO_PREFIX = "additionalInfo.";

function formatValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}

function variableValue(name: string, vars: TemplateVars): string | undefined {
  switch (name) {
    case "firstName":
      return vars.firstName;
    case "lastName":
      return vars.lastName;
    case "aiName":
      return vars.aiName;
  }
  if (!name.startsWith(INFO_PREFIX)) return undefined;
  const key = name.slice(INFO_PREFIX.length);
  // Own keys only: "constructor" or "toString" must not render as the prototype's functions.
  return Object.hasOwn(vars.additionalInfo, key) ? formatValue(vars.additionalInfo[key]) : undefined;
}

/**
 * Fills `{{firstName}}`, `{{lastName}}`, `{{aiName}}` and `{{additionalInfo.<key>}}`. A message
 * with a hole in it must not go out, so any variable without a value (an absent or null key, or
 * a name the template check would have refused) makes the whole render fail, listing them all.
 */
export function renderTemplate(template: string, vars: TemplateVars): RenderResult {
  const missing = new Set<string>();
  const text = template.replace(VARIABLE, (whole, name: string) => {
    const value = variableValue(name, vars);
    if (value === undefined) missing.add(name);
    return value ?? whole;
  });
  return missing.size === 0 ? { ok: true, text } : { ok: false, missing: [...missing] };
}
