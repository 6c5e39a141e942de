import type { DomainContext } from "../context.js";

export interface Usage {
  leads: { current: number; limit: number | null };
}

/** Counts live leads only: a soft-deleted lead no longer uses the org's allowance. */
export async function getUsage(ctx: DomainContext, orgId: string): Promise<Usage> {
  const org = await ctx.db
    .selectFrom("orgs")
    .select("lead_limit")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  const { count } = await ctx.db
    .selectFrom("leads")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("org_id", "=", orgId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return { leads: { current: Number(count), limit: org.lead_limit } };
}
