import { z } from "zod";

/** Variables a template may use; `additionalInfo.<key>` is checked when the message is built. */
const KNOWN_VARIABLES = new Set(["firstName", "lastName", "aiName"]);
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function templateVariables(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map((m) => m[1] ?? "");
}

/** Why a template cannot be saved, or undefined when it is fine. */
export function templateProblem(template: string): string | undefined {
  for (const name of templateVariables(template)) {
    if (KNOWN_VARIABLES.has(name)) continue;
    if (/^additionalInfo\.[^\s.]+$/.test(name)) continue;
    return `unknown variable {{${name}}}: use firstName, lastName, aiName or additionalInfo.<key>`;
  }
  const opens = template.split("{{").length - 1;
  const closes = template.split("}}").length - 1;
  if (opens !== closes) return "unbalanced {{ }}";
  return undefined;
}

export const templateTextSchema = z
  .string()
  .min(1, "must not be empty")
  .max(10_000)
  .superRefine((value, ctx) => {
    const problem = templateProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

export const messageTemplateSchema = z.strictObject({
  text: templateTextSchema,
  subject: templateTextSchema.max(998).optional(),
});

export type MessageTemplate = z.infer<typeof messageTemplateSchema>;
