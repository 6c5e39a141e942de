import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import type {
  EmailMessage,
  EmailProvider,
  SendOutcome,
  SmsMessage,
  SmsProvider,
} from "../../domain/messages/providers.js";
import { newId } from "../../ids.js";

/**
 * The provider used when a channel has none configured: it accepts everything and records what
 * would have been sent (GET /v1/dev/outbox), so the product works end to end with no credentials.
 */
export function createDevSink(db: Kysely<DB>, now: () => Date): { sms: SmsProvider; email: EmailProvider } {
  const record = async (row: {
    orgId: string;
    messageId: string | null;
    channel: "sms" | "email";
    to: string;
    subject: string | null;
    body: string;
    headers: Record<string, string> | null;
  }): Promise<SendOutcome> => {
    const id = newId("msg").replace("msg_", "dev_");
    await db
      .insertInto("dev_outbox")
      .values({
        id,
        org_id: row.orgId,
        message_id: row.messageId,
        channel: row.channel,
        to: row.to,
        subject: row.subject,
        body: row.body,
        headers: row.headers === null ? null : JSON.stringify(row.headers),
        created_at: now().toISOString(),
      })
      .execute();
    return { kind: "accepted", providerMessageId: id, status: "sent" };
  };
  return {
    sms: {
      name: "dev-sink",
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
      send: (m: EmailMessage) =>
        record({
          orgId: m.reference?.orgId ?? "",
          messageId: m.reference?.messageId ?? null,
          channel: "email",
          to: m.to,
          subject: m.subject,
          body: `${m.text}\n\n--\nUnsubscribe: ${m.unsubscribeUrl}`,
          headers: {
            ...(m.replyTo === undefined ? {} : { "Reply-To": m.replyTo }),
            "List-Unsubscribe": `<${m.unsubscribeUrl}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          },
        }),
    },
  };
}
