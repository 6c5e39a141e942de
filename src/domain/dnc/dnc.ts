import { toIso } from "../../clock.js";
import type { DomainContext } from "../context.js";
import { DomainError } from "../errors.js";

export interface DncStatus {
  phone: string;
  onList: boolean;
  addedAt: string | null;
}

/** Idempotent: registering a listed number again keeps its first `addedAt`. */
export async function registerDnc(ctx: DomainContext, orgId: string, phone: string): Promise<void> {
  await ctx.db
    .insertInto("dnc")
    .values({ org_id: orgId, phone, created_at: toIso(ctx.clock.now()) })
    .onConflict((oc) => oc.columns(["org_id", "phone"]).doNothing())
    .execute();
}

export async function checkDnc(ctx: DomainContext, orgId: string, phone: string): Promise<DncStatus> {
  const row = await ctx.db
    .selectFrom("dnc")
    .select("created_at")
    .where("org_id", "=", orgId)
    .where("phone", "=", phone)
    .executeTakeFirst();
  return { phone, onList: row !== undefined, addedAt: row?.created_at ?? null };
}

export async function removeDnc(ctx: DomainContext, orgId: string, phone: string): Promise<void> {
  const result = await ctx.db
    .deleteFrom("dnc")
    .where("org_id", "=", orgId)
    .where("phone", "=", phone)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new DomainError("NOT_FOUND", "Phone number is not on the DNC list.");
  }
}
