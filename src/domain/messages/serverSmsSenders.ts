import { z } from "zod";
import { toIso } from "../../clock.js";
import type { DomainContext, Tx } from "../context.js";
import { normalizePhone } from "../leads/phone.js";
import { hashApiKey } from "../orgs/apiKeys.js";
import { smsSenderOwner } from "../settings/smsSenders.js";

/** The server's Twilio sender configuration (config.twilio), as far as ownership goes. */
export interface ServerTwilioSenders {
  from: string | undefined;
  messagingServiceSid: string | undefined;
  /** TWILIO_SENDER_ORG; undefined: the default org. */
  senderOrgId: string | undefined;
}

/** What an org without a sender of its own would send from, by whose Twilio account sends. */
export interface ServerSmsSenders {
  /** The server's account: its messaging service is preferred to its number (twilioSms.ts). */
  viaServerAccount: string | undefined;
  /** The org's own account: only the server's number is passed on (messageProviders.ts). */
  viaOrgAccount: string | undefined;
  all: string[];
}

/** Twilio's `To` is E.164, so the server's number is owned (and looked up) in that form. */
export function serverSmsSenders(
  twilio: Omit<ServerTwilioSenders, "senderOrgId"> | undefined,
): ServerSmsSenders {
  const from = twilio?.from === undefined ? undefined : (normalizePhone(twilio.from) ?? twilio.from.trim());
  const service = twilio?.messagingServiceSid;
  return {
    viaServerAccount: service ?? from,
    viaOrgAccount: from,
    all: [from, service].filter((s): s is string => s !== undefined),
  };
}

export interface StartupNote {
  level: "info" | "warn" | "error";
  message: string;
  fields: Record<string, unknown>;
}

/** TWILIO_SENDER_ORG; else the bootstrap key's org; else the org the first start made; else the oldest. */
async function senderOwner(tx: Tx, senderOrgId: string | undefined, bootstrapKey: string | undefined) {
  if (senderOrgId !== undefined) {
    const org = await tx.selectFrom("orgs").select("id").where("id", "=", senderOrgId).executeTakeFirst();
    // A typo here would hand the number to nobody or to the wrong tenant: refuse to start.
    if (org === undefined) throw new Error(`TWILIO_SENDER_ORG: no org ${senderOrgId}`);
    return org.id;
  }
  if (bootstrapKey !== undefined) {
    const key = await tx
      .selectFrom("api_keys")
      .select("org_id")
      .where("key_hash", "=", hashApiKey(bootstrapKey))
      .executeTakeFirst();
    if (key !== undefined) return key.org_id;
  }
  const org = await tx
    .selectFrom("orgs")
    .select("id")
    .orderBy((eb) => eb.case().when("name", "=", "default").then(eb.lit(0)).else(eb.lit(1)).end())
    .orderBy("created_at")
    .orderBy("id")
    .executeTakeFirst();
  return org?.id;
}

const namedSenders = z.object({
  senders: z.object({
    sms: z.object({ from: z.string().nullish(), messagingServiceSid: z.string().nullish() }).nullish(),
  }),
});

/** Orgs whose settings name a sender that another org owns: their SMS is blocked until they fix it. */
async function senderConflicts(tx: Tx): Promise<StartupNote[]> {
  const notes: StartupNote[] = [];
  for (const row of await tx.selectFrom("settings").select(["org_id", "data"]).execute()) {
    const parsed = namedSenders.safeParse(JSON.parse(row.data));
    const sms = parsed.success ? parsed.data.senders.sms : undefined;
    for (const sender of [sms?.from, sms?.messagingServiceSid]) {
      if (typeof sender !== "string") continue;
      const owner = await smsSenderOwner(tx, sender);
      if (owner === row.org_id) continue;
      notes.push({
        level: "error",
        fields: { orgId: row.org_id, sender, owner: owner ?? null },
        message:
          "an org's settings name an SMS sender it does not own: its SMS is blocked until it sets senders.sms to a sender of its own",
      });
    }
  }
  return notes;
}

/**
 * At start: the server's TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID belong to one org (see
 * senderOwner), so inbound texts to them route there and no other org can claim or send from
 * them. Idempotent, and safe when several processes start at once (one upsert per sender). The
 * server's configuration wins over an org's settings claim of the same sender (that org is
 * named in an error). Server senders no longer configured are freed, but only when some sender
 * is configured, so a process started without Twilio settings frees nothing.
 */
export async function claimServerSmsSenders(
  ctx: DomainContext,
  twilio: ServerTwilioSenders | undefined,
  bootstrapKey: string | undefined,
): Promise<StartupNote[]> {
  const senders = serverSmsSenders(twilio).all;
  return ctx.db.transaction().execute(async (tx) => {
    const notes: StartupNote[] = [];
    const owner = senders.length === 0 ? undefined : await senderOwner(tx, twilio?.senderOrgId, bootstrapKey);
    if (owner !== undefined) {
      const at = toIso(ctx.clock.now());
      for (const sender of senders) {
        const before = await smsSenderOwner(tx, sender);
        await tx
          .insertInto("sms_senders")
          .values({ sender, org_id: owner, origin: "server", created_at: at })
          .onConflict((oc) => oc.column("sender").doUpdateSet({ org_id: owner, origin: "server" }))
          .execute();
        if (before !== undefined && before !== owner) {
          notes.push({
            level: "error",
            fields: { sender, from: before, to: owner },
            message:
              "the server's SMS sender was held by another org; it now belongs to the server's sender org",
          });
        } else if (before === undefined) {
          notes.push({
            level: "info",
            fields: { sender, orgId: owner },
            message: "server SMS sender claimed",
          });
        }
      }
      const freed = await tx
        .deleteFrom("sms_senders")
        .where("origin", "=", "server")
        .where("sender", "not in", senders)
        .returning("sender")
        .execute();
      for (const row of freed) {
        notes.push({
          level: "info",
          fields: { sender: row.sender },
          message: "a server SMS sender no longer configured was freed",
        });
      }
    }
    return [...notes, ...(await senderConflicts(tx))];
  });
}
