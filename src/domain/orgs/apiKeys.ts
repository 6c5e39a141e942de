import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { toIso } from "../../clock.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { ApiKeysTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { Caller, DomainContext, Tx } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { API_KEYS_CHANNEL } from "./apiKeyCache.js";

/** Keys carry 256 random bits, so a plain SHA-256 is a safe and fast lookup hash. */
export function hashApiKey(plain: string): string {
  return createHash("sha256").update(plain, "utf8").digest("hex");
}

export function generateApiKey(): string {
  return `lw_${randomBytes(32).toString("base64url")}`;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  isAdmin: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

function toView(row: ApiKeysTable): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function insertApiKey(
  tx: Tx,
  now: Date,
  input: { orgId: string; name: string; isAdmin: boolean; plain?: string },
): Promise<{ key: ApiKeyView; plain: string }> {
  const plain = input.plain ?? generateApiKey();
  const row: ApiKeysTable = {
    id: newId("key"),
    org_id: input.orgId,
    name: input.name,
    key_hash: hashApiKey(plain),
    key_prefix: plain.slice(0, 7),
    is_admin: input.isAdmin ? 1 : 0,
    created_at: toIso(now),
    last_used_at: null,
    revoked_at: null,
  };
  await tx.insertInto("api_keys").values(row).execute();
  return { key: toView(row), plain };
}

export async function authenticate(ctx: DomainContext, plain: string): Promise<Caller | undefined> {
  const hash = hashApiKey(plain);
  const load = async () => {
    const row = await ctx.db
      .selectFrom("api_keys")
      .select(["id", "org_id", "is_admin"])
      .where("key_hash", "=", hash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return row ? { orgId: row.org_id, keyId: row.id, isAdmin: row.is_admin === 1 } : undefined;
  };
  return ctx.apiKeys === undefined ? load() : ctx.apiKeys.lookup(hash, load);
}

export async function createApiKey(
  ctx: DomainContext,
  caller: Caller,
  input: { name: string; isAdmin: boolean },
): Promise<{ key: ApiKeyView; plain: string }> {
  if (input.isAdmin && !caller.isAdmin) {
    throw new DomainError("FORBIDDEN", "Only an admin key can create admin keys.", [
      { path: "isAdmin", message: "requires an admin key" },
    ]);
  }
  try {
    return await insertApiKey(ctx.db, ctx.clock.now(), { orgId: caller.orgId, ...input });
  } catch (error) {
    // 256 random bits do not collide; a violation here means a corrupt key table, not bad input.
    if (isUniqueViolation(error)) throw new DomainError("CONFLICT", "Could not mint a unique key; retry.");
    throw error;
  }
}

export async function listApiKeys(ctx: DomainContext, caller: Caller): Promise<ApiKeyView[]> {
  const rows = await ctx.db
    .selectFrom("api_keys")
    .selectAll()
    .where("org_id", "=", caller.orgId)
    .where("revoked_at", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(toView);
}

/** Revokes a key. The org's last key cannot go: nobody could call the API for it again. */
export async function revokeApiKey(ctx: DomainContext, caller: Caller, keyId: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const live = await tx
      .selectFrom("api_keys")
      .select("id")
      .where("org_id", "=", caller.orgId)
      .where("revoked_at", "is", null)
      // Two revokes at once must not both see a second live key and leave the org with none.
      .$if(ctx.capabilities.rowLocks, (query) => query.forUpdate())
      .execute();
    if (!live.some((k) => k.id === keyId)) throw notFound("API key");
    if (live.length === 1) {
      throw new DomainError("CONFLICT", "This is the organisation's last API key; create another one first.");
    }
    await tx
      .updateTable("api_keys")
      .set({ revoked_at: toIso(ctx.clock.now()) })
      .where("id", "=", keyId)
      .where("org_id", "=", caller.orgId)
      .execute();
    // Every process forgets its cached keys when this commits (apiKeyCache.ts).
    if (ctx.capabilities.listenNotify) await sql`select pg_notify(${API_KEYS_CHANNEL}, '')`.execute(tx);
  });
  ctx.apiKeys?.clear();
}
