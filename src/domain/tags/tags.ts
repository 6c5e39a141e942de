import { z } from "zod";
import { toIso } from "../../clock.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { TagsTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { leadChangeStamp, syncStamp } from "../syncClock.js";

const fields = {
  name: z.string().trim().min(1, "must not be empty").max(100),
  // Stored lowercase so the same colour never shows up in two spellings.
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour like #ff8800")
    .transform((value) => value.toLowerCase())
    .nullable(),
  condition: z.string().max(500).nullable(),
};

export const createTagSchema = z.strictObject({
  name: fields.name,
  color: fields.color.optional(),
  condition: fields.condition.optional(),
});

export const updateTagSchema = z.strictObject({
  name: fields.name.optional(),
  color: fields.color.optional(),
  condition: fields.condition.optional(),
});

export type CreateTagInput = z.infer<typeof createTagSchema>;
export type UpdateTagInput = z.infer<typeof updateTagSchema>;

/** A tag as `GET /v1/tags` returns it: `condition` is optional in the contract, so null is left out. */
export interface TagView {
  id: string;
  name: string;
  color: string | null;
  condition?: string;
  isManual: boolean;
}

function toView(row: TagsTable): TagView {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    ...(row.condition === null ? {} : { condition: row.condition }),
    isManual: row.is_manual === 1,
  };
}

function nameTaken(name: string): DomainError {
  return new DomainError("CONFLICT", `A tag named "${name}" already exists.`, [
    { path: "name", message: "already taken" },
  ]);
}

/** Built-in tags mirror lead columns the product sets itself; their names are what ties them. */
function builtInLocked(action: "renamed" | "deleted"): DomainError {
  return new DomainError("CONFLICT", `Built-in tags cannot be ${action}.`);
}

/** `lock`: hold the row until the transaction ends, so concurrent edits apply one after the other. */
async function loadRow(tx: Tx, orgId: string, tagId: string, lock: boolean): Promise<TagsTable> {
  const row = await tx
    .selectFrom("tags")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", tagId)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound("Tag");
  return row;
}

export async function listTags(ctx: DomainContext, orgId: string): Promise<TagView[]> {
  const rows = await ctx.db
    .selectFrom("tags")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map(toView);
}

export async function createTag(ctx: DomainContext, orgId: string, input: CreateTagInput): Promise<TagView> {
  const now = toIso(ctx.clock.now());
  const row: TagsTable = {
    id: newId("tag"),
    org_id: orgId,
    name: input.name,
    color: input.color ?? null,
    condition: input.condition ?? null,
    is_manual: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await ctx.db.insertInto("tags").values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
  return toView(row);
}

export async function updateTag(
  ctx: DomainContext,
  orgId: string,
  tagId: string,
  input: UpdateTagInput,
): Promise<TagView> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const current = await loadRow(tx, orgId, tagId, ctx.capabilities.rowLocks);
      if (current.is_manual === 0 && input.name !== undefined && input.name !== current.name) {
        throw builtInLocked("renamed");
      }
      const next: TagsTable = {
        ...current,
        name: input.name ?? current.name,
        color: input.color === undefined ? current.color : input.color,
        condition: input.condition === undefined ? current.condition : input.condition,
        updated_at: toIso(ctx.clock.now()),
      };
      await tx
        .updateTable("tags")
        .set({ name: next.name, color: next.color, condition: next.condition, updated_at: next.updated_at })
        .where("id", "=", tagId)
        .where("org_id", "=", orgId)
        .execute();
      return toView(next);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? "");
    throw error;
  }
}

/** Leads that carried the tag get a new updated_at, so incremental sync sees their tags changed. */
export async function deleteTag(ctx: DomainContext, orgId: string, tagId: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await loadRow(tx, orgId, tagId, ctx.capabilities.rowLocks);
    if (row.is_manual === 0) throw builtInLocked("deleted");
    const tagged = tx.selectFrom("lead_tags").select("lead_id").where("tag_id", "=", tagId);
    // The leads are locked before the sync clock is taken: holding the clock while waiting for a
    // lead that a concurrent change holds (and which wants the clock next) would deadlock. In id
    // order, as every transaction that holds several leads takes them (lockLeads.ts).
    if (ctx.capabilities.rowLocks) {
      await tx.selectFrom("leads").select("id").where("id", "in", tagged).orderBy("id").forUpdate().execute();
    }
    await tx
      .updateTable("leads")
      .set(leadChangeStamp(await syncStamp(tx, orgId, ctx.clock.now())))
      .where("org_id", "=", orgId)
      .where("id", "in", tagged)
      .execute();
    await tx.deleteFrom("lead_tags").where("tag_id", "=", tagId).execute();
    await tx.deleteFrom("tags").where("id", "=", tagId).where("org_id", "=", orgId).execute();
  });
}
