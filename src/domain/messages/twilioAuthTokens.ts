import type { DomainContext } from "../context.js";
import { loadSettings } from "../settings/settings.js";
import type { Settings } from "../settings/settingsSchema.js";

/**
 * The tokens that may have signed a Twilio webhook for an org: its own account's when it has
 * one, else the server's (`serverToken`, TWILIO_AUTH_TOKEN).
 */
export async function orgTwilioAuthTokens(
  ctx: DomainContext,
  orgId: string,
  serverToken: string | undefined,
): Promise<string[]> {
  return twilioAuthTokensOf(ctx, await loadSettings(ctx.db, orgId), serverToken);
}

/** orgTwilioAuthTokens, for a caller that has read the org's settings already. */
export function twilioAuthTokensOf(
  ctx: Pick<DomainContext, "secrets">,
  settings: Settings,
  serverToken: string | undefined,
): string[] {
  const own = settings.twilio;
  const token = own ? ctx.secrets.reveal(own.authToken) : serverToken;
  return token === undefined ? [] : [token];
}

/**
 * The tokens that may have signed a text to a sender no org owns: the server's, and those of the
 * orgs whose own Twilio account (the request's AccountSid) sent it. Only used to authenticate,
 * never to route: the text is kept as unrouted either way.
 */
export async function unownedTwilioAuthTokens(
  ctx: DomainContext,
  accountSid: string | undefined,
  serverToken: string | undefined,
): Promise<string[]> {
  const tokens = serverToken === undefined ? [] : [serverToken];
  if (accountSid === undefined || !/^AC[0-9a-f]{32}$/.test(accountSid)) return tokens;
  const candidates = await ctx.db
    .selectFrom("settings")
    .select("org_id")
    // A cheap filter on the stored JSON; each candidate is then read properly.
    .where("data", "like", `%"accountSid":"${accountSid}"%`)
    .execute();
  for (const { org_id } of candidates) {
    const own = (await loadSettings(ctx.db, org_id)).twilio;
    if (own?.accountSid === accountSid) tokens.push(ctx.secrets.reveal(own.authToken));
  }
  return tokens;
}

/**
 * The tokens that may have signed a status callback about a message Twilio sent for us: those
 * of the org that sent it, else (unknown message, or no message id) the server's.
 */
export async function statusCallbackAuthTokens(
  ctx: DomainContext,
  providerMessageId: string | undefined,
  serverToken: string | undefined,
): Promise<string[]> {
  const message =
    providerMessageId === undefined
      ? undefined
      : await ctx.db
          .selectFrom("messages")
          .select("org_id")
          .where("provider", "=", "twilio")
          .where("provider_message_id", "=", providerMessageId)
          .executeTakeFirst();
  if (message !== undefined) return orgTwilioAuthTokens(ctx, message.org_id, serverToken);
  return serverToken === undefined ? [] : [serverToken];
}
