import type { FastifyInstance } from "fastify";
import { DomainError } from "../domain/errors.js";

/**
 * How deep a JSON request body may nest. additionalInfo is free-form JSON, and validating a
 * value nested a thousand levels deep runs out of stack; 32 levels is far beyond any CRM field.
 */
export const MAX_JSON_DEPTH = 32;

type Where = "body" | "params" | "querystring";

interface Found {
  path: string;
  message: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemIn(text: string): string | undefined {
  // PostgreSQL refuses NUL in text while SQLite stores it: refuse it before either sees it.
  if (text.includes("\u0000")) return "must not contain the NUL character (\\u0000)";
  // A lone surrogate is not Unicode text; stored, it comes back as U+FFFD or breaks a receiver.
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode (it has an unpaired UTF-16 surrogate)";
  return undefined;
}

function join(path: string, key: string | number): string {
  return path === "" ? String(key) : `${path}.${key}`;
}

/**
 * The first string (or object key) a store cannot hold as sent, or a nesting deeper than the
 * limit. Iterative, so that a hostile depth cannot exhaust the stack here either.
 */
export function findBadInput(value: unknown, where: Where): Found | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    const at = item.path === "" && where !== "body" ? where : item.path;
    if (typeof item.value === "string") {
      const problem = problemIn(item.value);
      if (problem !== undefined) return { path: at, message: problem };
      continue;
    }
    if (item.value === null || typeof item.value !== "object") continue;
    if (item.depth >= MAX_JSON_DEPTH)
      return { path: at, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    const entries = Array.isArray(item.value)
      ? item.value.map((child, index) => [index, child] as const)
      : Object.entries(item.value);
    for (const [key, child] of entries) {
      const path = join(item.path, key);
      if (typeof key === "string") {
        const problem = problemIn(key);
        if (problem !== undefined) return { path, message: `key ${problem}` };
      }
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return undefined;
}

/**
 * Refuses, before validation and on every route, input that one backend would store and the
 * other would fail on, so that both answer the same 400 naming the field.
 */
export function installInputGuards(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const parts: [Where, unknown][] = [
      ["params", request.params],
      ["querystring", request.query],
      ["body", request.body],
    ];
    for (const [where, value] of parts) {
      const found = findBadInput(value, where);
      if (found !== undefined)
        throw new DomainError("VALIDATION_FAILED", `Invalid request: check ${found.path}.`, [found]);
    }
  });
}
