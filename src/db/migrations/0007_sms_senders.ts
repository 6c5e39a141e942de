import { type Kysely, sql } from "kysely";
import { z } from "zod";

/** Only the part of a stored settings document this migration reads; the rest may be anything. */
const storedSenders = z.object({
  senders: z
    .object({
      sms: z.object({ from: z.string().nullish(), messagingServiceSid: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

function parseSenders(data: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return [];
  }
  const parsed = storedSenders.safeParse(json);
  const sms = parsed.success ? parsed.data.senders?.sms : undefined;
  return [sms?.from, sms?.messagingServiceSid].filter((s): s is string => typeof s === "string" && s !== "");
}

/**
 * A sending number or messaging service belongs to one org (`sms_senders`, its primary key makes
 * two claims of one sender impossible), so inbound texts route to exactly one tenant. Inbound
 * texts that reach no lead are kept (`unrouted_inbound`), and a STOP from a phone with no lead
 * is remembered per org (`phone_opt_outs`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sms_senders")
    .addColumn("sender", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    // "settings": named in the org's settings; "server": TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID.
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sms_senders_org_idx").on("sms_senders").column("org_id").execute();

  await db.schema
    .createTable("unrouted_inbound")
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("message_sid", "text", (c) => c.notNull())
    // Null when no org owns the number the text was sent to.
    .addColumn("org_id", "text")
    .addColumn("from_address", "text", (c) => c.notNull())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("resolved", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("resolved_at", "text")
    .addColumn("received_at", "text", (c) => c.notNull())
    // A provider's retry of the same message is the same row.
    .addPrimaryKeyConstraint("unrouted_inbound_pk", ["provider", "message_sid"])
    .execute();
  await db.schema
    .createIndex("unrouted_inbound_received_idx")
    .on("unrouted_inbound")
    .columns(["received_at", "message_sid"])
    .execute();
  await db.schema
    .createIndex("unrouted_inbound_org_idx")
    .on("unrouted_inbound")
    .columns(["org_id", "received_at"])
    .execute();

  await db.schema
    .createTable("phone_opt_outs")
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
    .addColumn("phone", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("message_sid", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("phone_opt_outs_pk", ["org_id", "phone", "channel"])
    .execute();

  // Senders already named in settings: the oldest org wins a sender two orgs named. The loser's
  // settings still name it, but its sends are blocked (prepareSend.ts) and the start-up check
  // logs it (serverSmsSenders.ts) until it names a sender of its own.
  const rows = await sql<{ org_id: string; data: string }>`
    select s.org_id, s.data from settings s join orgs o on o.id = s.org_id
    order by o.created_at, o.id`.execute(db);
  const now = new Date().toISOString();
  for (const row of rows.rows) {
    for (const sender of parseSenders(row.data)) {
      await sql`insert into sms_senders (sender, org_id, origin, created_at)
        values (${sender}, ${row.org_id}, 'settings', ${now})
        on conflict (sender) do nothing`.execute(db);
    }
  }
}
