import { z } from "zod";
import { invalid } from "./errors.js";

/**
 * Keyset pagination shared by every listing: a page ends at (timestamp, id) and the next one
 * starts strictly after it, so ties on the timestamp are never skipped or repeated. The token
 * is opaque to callers; `kind` ties it to the ordering it was minted for.
 */
export interface Position {
  t: string;
  /** The sync clock position (listings in commit order: events, leads); ties on `t` go by it. */
  s?: number;
  id: string;
}

export function encodePosition(kind: string, position: Position): string {
  return Buffer.from(JSON.stringify({ k: kind, ...position }), "utf8").toString("base64url");
}

const tokenSchema = z.object({
  k: z.string(),
  t: z.string(),
  // Tokens minted before positions existed carry none: 0 is where those rows sit.
  s: z.number().catch(0),
  id: z.string(),
});

/**
 * The position a client's `nextToken` carries. The token is client input, not stored data: one
 * that does not decode, or was minted for another listing, is a 400 naming `nextToken`.
 */
export function decodePosition(token: string, kind: string): Position {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    // any undecodable token is the caller's error
  }
  const decoded = tokenSchema.safeParse(value);
  if (decoded.success && decoded.data.k === kind) {
    const { t, s, id } = decoded.data;
    return { t, s, id };
  }
  throw invalid("nextToken", "is not a token from this listing (keep the same filters when paging)");
}

/** Cuts the `limit + 1` rows a query fetched into a page and the token for the next one. */
export function toPage<R>(
  rows: R[],
  limit: number,
  kind: string,
  positionOf: (row: R) => Position,
): { page: R[]; nextToken: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextToken: rows.length > limit && last ? encodePosition(kind, positionOf(last)) : null };
}
