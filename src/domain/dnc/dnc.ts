import { toIso } from "../../clock.js";
import type { DomainContext } from "../context.js";
import { DomainError } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { doNotContactPhoneIn } from "../messages/markDoNotContact.js";

export interface DncStatus {
  phone: string;
  onList: boolean;
  addedAt: string | null;
}

/**
 * Idempotent: registering a listed number again keeps its first `addedAt` and emits nothing.
 * A newly listed number that belongs to a live lead stops that lead as a do-not-contact request
 * would (`doNotContact`, then its opt-outs), in the same transaction.
 */
export async function registerDnc(ctx: DomainContext, orgId: string, phone: string): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    const now = ctx.clock.now();
    const inserted = await tx
      .insertInto("dnc")
      .values({ org_id: orgId, phone, created_at: toIso(now) })
      .onConflict((oc) => oc.columns(["org_id", "phone"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
    await doNotContactPhoneIn(tx, emit, orgId, phone, now);
  });
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
