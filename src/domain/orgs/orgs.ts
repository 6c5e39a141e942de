import { randomBytes } from "node:crypto";
import { toIso } from "../../clock.js";
import { isUniqueViolation } from "../../db/errors.js";
import { newId } from "../../ids.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError } from "../errors.js";
import { seedBuiltInTags } from "../tags/builtInTags.js";
import { type ApiKeyView, hashApiKey, insertApiKey } from "./apiKeys.js";

export interface OrgView {
  id: string;
  name: string;
  leadLimit: number | null;
  createdAt: string;
}

async function insertOrg(tx: Tx, now: Date, name: string, leadLimit: number | null): Promise<OrgView> {
  const org = {
    id: newId("org"),
    name,
    lead_limit: leadLimit,
    inbound_token: randomBytes(24).toString("base64url"),
    created_at: toIso(now),
  };
  await tx.insertInto("orgs").values(org).execute();
  await seedBuiltInTags(tx, org.id, now);
  return { id: org.id, name, leadLimit, createdAt: org.created_at };
}

export async function createOrg(
  ctx: DomainContext,
  input: { name: string; leadLimit: number | null },
): Promise<{ org: OrgView; key: ApiKeyView; plain: string }> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const org = await insertOrg(tx, now, input.name, input.leadLimit);
      const { key, plain } = await insertApiKey(tx, now, { orgId: org.id, name: "initial", isAdmin: false });
      return { org, key, plain };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("CONFLICT", `An organisation named "${input.name}" already exists.`, [
        { path: "name", message: "already taken" },
      ]);
    }
    throw error;
  }
}

/**
 * Makes sure org `default` exists with `plainKey` as an admin key. Idempotent and safe when
 * several processes start together: a lost race shows up as a unique violation and is re-checked.
 */
export async function ensureBootstrapKey(ctx: DomainContext, plainKey: string): Promise<void> {
  const hash = hashApiKey(plainKey);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await ctx.db
      .selectFrom("api_keys")
      .select("id")
      .where("key_hash", "=", hash)
      .executeTakeFirst();
    if (existing) return;
    try {
      await ctx.db.transaction().execute(async (tx) => {
        const now = ctx.clock.now();
        const found = await tx
          .selectFrom("orgs")
          .select("id")
          .where("name", "=", "default")
          .executeTakeFirst();
        const orgId = found?.id ?? (await insertOrg(tx, now, "default", null)).id;
        await insertApiKey(tx, now, { orgId, name: "bootstrap", isAdmin: true, plain: plainKey });
      });
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

/**
 * First start without BOOTSTRAP_API_KEY: when no key exists at all, creates org `default` with
 * a generated admin key and returns it (to be shown once), so a fresh install is usable at once.
 * Returns undefined when any key exists (or another process just made one).
 */
export async function ensureFirstAdminKey(ctx: DomainContext): Promise<string | undefined> {
  const any = await ctx.db.selectFrom("api_keys").select("id").limit(1).executeTakeFirst();
  if (any) return undefined;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const org = await insertOrg(tx, now, "default", null);
      return (await insertApiKey(tx, now, { orgId: org.id, name: "first-run", isAdmin: true })).plain;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}
