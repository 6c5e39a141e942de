import type { DomainContext } from "../context.js";

/** The org's inbound token: the secret in the addresses its inbound email is posted to. */
export async function getInboundToken(ctx: DomainContext, orgId: string): Promise<string> {
  const org = await ctx.db
    .selectFrom("orgs")
    .select("inbound_token")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return org.inbound_token;
}
