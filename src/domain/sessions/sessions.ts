import { createHash, randomBytes } from "node:crypto";
import { toIso } from "../../clock.js";
import type { SessionsTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { Caller, DomainContext } from "../context.js";
import { authenticate } from "../orgs/apiKeys.js";

/**
 * Browser sessions: a person signs in with an API key once and gets a random token (the
 * `lw_session` cookie). Only the token's SHA-256 is stored. A session acts as its key: it ends
 * when it expires, when it is signed out, and when its key is revoked.
 */

/** Tokens carry 256 random bits, so a plain SHA-256 is a safe and fast lookup hash. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** `last_seen_at` is written at most this often per session, not on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionView {
  caller: Caller;
  sessionId: string;
  expiresAt: string;
}

export interface NewSession extends SessionView {
  /** The cookie's value: shown once, never stored. */
  token: string;
}

/** Signs in with an API key; undefined when the key is unknown or revoked. */
export async function createSession(
  ctx: DomainContext,
  apiKey: string,
  ttlMs: number,
): Promise<NewSession | undefined> {
  const caller = await authenticate(ctx, apiKey);
  if (caller === undefined) return undefined;
  const now = ctx.clock.now();
  const token = randomBytes(32).toString("base64url");
  const row: SessionsTable = {
    id: newId("ses"),
    org_id: caller.orgId,
    key_id: caller.keyId,
    token_hash: hashSessionToken(token),
    created_at: toIso(now),
    expires_at: toIso(new Date(now.getTime() + ttlMs)),
    revoked_at: null,
    last_seen_at: null,
  };
  await ctx.db.insertInto("sessions").values(row).execute();
  return { caller, sessionId: row.id, expiresAt: row.expires_at, token };
}

/** The live session a token belongs to: not signed out, not expired, its key not revoked. */
export async function resolveSession(ctx: DomainContext, token: string): Promise<SessionView | undefined> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom("sessions as s")
    .innerJoin("api_keys as k", (join) =>
      join.onRef("k.id", "=", "s.key_id").onRef("k.org_id", "=", "s.org_id"),
    )
    .select(["s.id", "s.expires_at", "s.last_seen_at", "k.id as key_id", "k.org_id", "k.is_admin"])
    .where("s.token_hash", "=", hashSessionToken(token))
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", toIso(now))
    .where("k.revoked_at", "is", null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const seenBefore = toIso(new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS));
  if (row.last_seen_at === null || row.last_seen_at < seenBefore) {
    await ctx.db
      .updateTable("sessions")
      .set({ last_seen_at: toIso(now) })
      .where("id", "=", row.id)
      .execute();
  }
  return {
    caller: { orgId: row.org_id, keyId: row.key_id, isAdmin: row.is_admin === 1 },
    sessionId: row.id,
    expiresAt: row.expires_at,
  };
}

/** Signs a session out (idempotent): its token, within the caller's org, stops working. */
export async function revokeSession(ctx: DomainContext, caller: Caller, token: string): Promise<void> {
  await ctx.db
    .updateTable("sessions")
    .set({ revoked_at: toIso(ctx.clock.now()) })
    .where("token_hash", "=", hashSessionToken(token))
    .where("org_id", "=", caller.orgId)
    .where("revoked_at", "is", null)
    .execute();
}
