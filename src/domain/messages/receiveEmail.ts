import type { Capabilities } from "../../db/database.js";
import { enqueueAssistantJob } from "../assistant/assistantJobs.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError } from "../errors.js";
import { inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import { markReplied } from "./markReplied.js";
import { leadContact, optOut } from "./optOuts.js";
import { inboundLeads, recordInbound } from "./recordInbound.js";

export interface InboundEmailInput {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** The Message-ID header: providers retry, and the same message is acted on once. */
  messageId?: string | undefined;
}

export interface EmailReport {
  kind: "bounce" | "complaint";
  recipient: string;
}

export type EmailResult = { handled: false } | { handled: true; leadId: string; duplicate: boolean };

/** The inbound token is the only credential of the inbound endpoints: unknown means 404. */
async function orgByInboundToken(tx: Tx, token: string): Promise<string> {
  const org = await tx.selectFrom("orgs").select("id").where("inbound_token", "=", token).executeTakeFirst();
  if (org === undefined) throw new DomainError("NOT_FOUND", "Unknown inbound email token.");
  return org.id;
}

/** For requests that change nothing: a wrong token is still a 404, never a silent 200. */
export async function assertInboundToken(ctx: DomainContext, token: string): Promise<void> {
  await orgByInboundToken(ctx.db, token);
}

function liveLeadsByEmail(tx: Tx, capabilities: Capabilities, orgId: string, email: string) {
  return inboundLeads(tx, capabilities, orgId)
    .where("leads.email", "=", email.trim().toLowerCase())
    .orderBy("leads.created_at", "desc")
    .orderBy("leads.id")
    .execute();
}

/** An email from a lead to the org's inbound address: recorded once, announced, counted as a reply. */
export async function receiveEmail(
  ctx: DomainContext,
  orgInboundToken: string,
  email: InboundEmailInput,
): Promise<EmailResult> {
  const result = await inTransaction(ctx, async (tx, emit): Promise<EmailResult> => {
    const orgId = await orgByInboundToken(tx, orgInboundToken);
    const [row] = await liveLeadsByEmail(tx, ctx.capabilities, orgId, email.from);
    if (row === undefined) return { handled: false };
    const now = ctx.clock.now();
    const inbound = {
      provider: "email",
      providerMessageId: email.messageId ?? null,
      text: email.text,
      subject: email.subject,
    };
    const id = await recordInbound(tx, emit, row, { channel: "email", ...inbound }, now);
    if (id === undefined) return { handled: true, leadId: row.id, duplicate: true };
    await markReplied(
      tx,
      ctx,
      emit,
      { ...leadContact(row), hasReplied: row.has_replied === 1 },
      "email",
      now,
    );
    await enqueueAssistantJob(
      tx,
      ctx.capabilities,
      { orgId, leadId: row.id, kind: "read", subjectId: id, dueAt: now },
      now,
    );
    return { handled: true, leadId: row.id, duplicate: false };
  });
  if (result.handled && !result.duplicate) ctx.wakeAssistant();
  return result;
}

/**
 * A bounce or complaint about an address: every live lead of the org at that address is opted
 * out of email (the address itself is the problem), without an optOutMessage since no lead wrote.
 */
export async function receiveEmailReport(
  ctx: DomainContext,
  orgInboundToken: string,
  report: EmailReport,
): Promise<{ handled: boolean }> {
  return inTransaction(ctx, async (tx, emit) => {
    const orgId = await orgByInboundToken(tx, orgInboundToken);
    const rows = await liveLeadsByEmail(tx, ctx.capabilities, orgId, report.recipient);
    if (rows.length === 0) return { handled: false };
    const settings = await loadSettings(tx, orgId);
    const now = ctx.clock.now();
    for (const row of rows) {
      await optOut(
        tx,
        emit,
        leadContact(row),
        {
          channel: "email",
          reason: report.kind === "bounce" ? "BOUNCE" : "COMPLAINT",
          isTwilioOptOut: null,
          isDoNotContact: false,
          linked: settings.linkedOptOut,
        },
        now,
      );
    }
    return { handled: true };
  });
}
