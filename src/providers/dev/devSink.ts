import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { Batcher } from "../../batcher.js";
import type { DB } from "../../db/schema.js";
import type {
  EmailMessage,
  EmailProvider,
  SendOutcome,
  SentLookup,
  SentMessageQuery,
  SmsMessage,
  SmsProvider,
} from "../../domain/messages/providers.js";
import { newId } from "../../ids.js";

/**
 * The provider used when a channel has none configured: it accepts everything and records what
 * would have been sent (GET /v1/dev/outbox), so the product works end to end with no credentials.
 */
type OutboxRow = {
  orgId: string;
  messageId: string | null;
  channel: "sms" | "email";
  to: string;
  subject: string | null;
  body: string;
  headers: Record<string, string> | null;
};

/**
 * The provider used when a channel has none configured: it accepts everything and records what
 * would have been sent (GET /v1/dev/outbox), so the product works end to end with no credentials.
 * Sends made together (a sender's batch) are written in one insert; each is accepted only once
 * its row is stored.
 */
export function createDevSink(
  db: Kysely<DB>,
  now: () => Date,
  logger: Logger,
): { sms: SmsProvider; email: EmailProvider } {
  const writer = new Batcher<OutboxRow, SendOutcome>(
    async (rows) => {
      const at = now().toISOString();
      const values = rows.map((row) => ({
        id: newId("msg").replace("msg_", "dev_"),
        org_id: row.orgId,
        message_id: row.messageId,
        channel: row.channel,
        to: row.to,
        subject: row.subject,
        body: row.body,
        headers: row.headers === null ? null : JSON.stringify(row.headers),
        created_at: at,
      }));
      await db.insertInto("dev_outbox").values(values).execute();
      return values.map((v) => ({ kind: "accepted", providerMessageId: v.id, status: "sent" }));
    },
    logger,
    { what: "the dev outbox", maxBatch: 500, maxDelayMs: 0 },
  );
  const record = (row: OutboxRow): Promise<SendOutcome> => writer.add(row);
  // The outbox row is written before a send counts as accepted, and names our message: whether a
  // send arrived is a fact here, not a search.
  const lookup = async (query: SentMessageQuery): Promise<SentLookup> => {
    const rows = await db
      .selectFrom("dev_outbox")
      .select("id")
      .where("org_id", "=", query.reference.orgId)
      .where("message_id", "=", query.reference.messageId)
      .execute();
    return { kind: "answered", matches: rows.map((r) => ({ providerMessageId: r.id })) };
  };
  return {
    sms: {
      name: "dev-sink",
      lookup,
      send: (m: SmsMessage) =>
        record({
          orgId: m.reference?.orgId ?? "",
          messageId: m.reference?.messageId ?? null,
          channel: "sms",
          to: m.to,
          subject: null,
          body: m.body,
          headers: null,
        }),
    },
    email: {
      name: "dev-sink",
      lookup,
      send: (m: EmailMessage) =>
        record({
          orgId: m.reference?.orgId ?? "",
          messageId: m.reference?.messageId ?? null,
          channel: "email",
          to: m.to,
          subject: m.subject,
          body: m.unsubscribeUrl === undefined ? m.text : `${m.text}\n\n--\nUnsubscribe: ${m.unsubscribeUrl}`,
          headers: {
            ...(m.replyTo === undefined ? {} : { "Reply-To": m.replyTo }),
            ...(m.unsubscribeUrl === undefined
              ? {}
              : {
                  "List-Unsubscribe": `<${m.unsubscribeUrl}>`,
                  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }),
          },
        }),
    },
  };
}
