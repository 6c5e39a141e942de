import { toIso } from "../../clock.js";
import { newId } from "../../ids.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError } from "../errors.js";
import { messageReceivedData } from "../events/catalog.js";
import { type Emit, inTransaction } from "../events/transaction.js";
import { loadSettings } from "../settings/settings.js";
import { addTimelineEntry } from "../timeline/timeline.js";
import { markReplied } from "./markReplied.js";
import { leadContact, optOut } from "./optOuts.js";

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

function liveLeadsByEmail(tx: Tx, orgId: string, email: string) {
  return tx
    .selectFrom("leads")
    .innerJoin("profiles", "profiles.id", "leads.profile_id")
    .select([
      "leads.id",
      "leads.org_id",
      "leads.phone",
      "leads.email",
      "leads.external_lead_id",
      "leads.has_replied",
      "profiles.name as profile",
    ])
    .where("leads.org_id", "=", orgId)
    .where("leads.email", "=", email.trim().toLowerCase())
    .where("leads.deleted_at", "is", null)
    .orderBy("leads.created_at", "desc")
    .orderBy("leads.id")
    .execute();
}

type LeadRow = Awaited<ReturnType<typeof liveLeadsByEmail>>[number];

/** False when this provider message was already stored (a retried delivery). */
async function recordInbound(tx: Tx, row: LeadRow, email: InboundEmailInput, id: string, at: string) {
  const inserted = await tx
    .insertInto("messages")
    .values({
      id,
      org_id: row.org_id,
      lead_id: row.id,
      channel: "email",
      direction: "inbound",
      status: "received",
      text: email.text,
      subject: email.subject,
      segments: null,
      encoding: null,
      follow_up_step: null,
      due_at: null,
      claimed_by: null,
      claimed_at: null,
      provider: "email",
      provider_message_id: email.messageId ?? null,
      error_code: null,
      error_message: null,
      blocked_reason: null,
      timeline_id: null,
      sent_at: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(["provider", "provider_message_id"]).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

async function announce(tx: Tx, emit: Emit, row: LeadRow, email: InboundEmailInput, id: string, now: Date) {
  const lead = leadContact(row);
  await addTimelineEntry(tx, {
    orgId: row.org_id,
    leadId: row.id,
    type: "EMAIL",
    at: now,
    data: {
      direction: "INBOUND",
      content: { text: email.text, subject: email.subject },
      isAiGenerated: false,
      deliveryChannel: "EMAIL",
      status: "received",
      messageId: id,
    },
  });
  await emit({
    orgId: row.org_id,
    leadId: row.id,
    type: "message.received",
    at: now,
    data: messageReceivedData({
      lead,
      channel: "email",
      profile: row.profile,
      subject: email.subject,
      text: email.text,
    }),
  });
  await markReplied(tx, emit, { ...lead, hasReplied: row.has_replied === 1 }, "email", now);
}

/** An email from a lead to the org's inbound address: recorded once, announced, counted as a reply. */
export async function receiveEmail(
  ctx: DomainContext,
  orgInboundToken: string,
  email: InboundEmailInput,
): Promise<EmailResult> {
  return inTransaction(ctx, async (tx, emit): Promise<EmailResult> => {
    const orgId = await orgByInboundToken(tx, orgInboundToken);
    const [row] = await liveLeadsByEmail(tx, orgId, email.from);
    if (row === undefined) return { handled: false };
    const now = ctx.clock.now();
    const id = newId("msg");
    if (!(await recordInbound(tx, row, email, id, toIso(now))))
      return { handled: true, leadId: row.id, duplicate: true };
    await announce(tx, emit, row, email, id, now);
    return { handled: true, leadId: row.id, duplicate: false };
  });
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
    const rows = await liveLeadsByEmail(tx, orgId, report.recipient);
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
