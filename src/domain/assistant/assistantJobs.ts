import { sql } from "kysely";
import { toIso } from "../../clock.js";
import { insertJsonRows, type JsonColumns } from "../../db/bulk.js";
import type { Capabilities } from "../../db/database.js";
import type { AssistantJobsTable, DraftKind } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { Tx } from "../context.js";
import { insertAndNotify } from "../insertAndNotify.js";
import { insertOutboundMessage, type OutboundMessage } from "../messages/outboundMessage.js";

/** The LISTEN/NOTIFY channel assistant workers listen on (PostgreSQL). */
export const ASSISTANT_CHANNEL = "leadwire_assistant";

export interface NewAssistantJob {
  orgId: string;
  leadId: string;
  kind: "read" | "draft";
  /** The message to read or to write. */
  subjectId: string;
  dueAt: Date;
}

/**
 * Enqueues a job for the assistant workers, once per (kind, message) whoever asks twice, and
 * tells them on commit (PostgreSQL; in-process wake-ups are the caller's, after commit).
 */
export async function enqueueAssistantJob(
  tx: Tx,
  capabilities: Capabilities,
  job: NewAssistantJob,
  now: Date,
): Promise<void> {
  const at = toIso(now);
  const insert = tx
    .insertInto("assistant_jobs")
    .values({
      id: newId("asj"),
      org_id: job.orgId,
      lead_id: job.leadId,
      kind: job.kind,
      subject_id: job.subjectId,
      status: "pending",
      due_at: toIso(job.dueAt),
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(["kind", "subject_id"]).doNothing());
  await insertAndNotify(tx, capabilities, ASSISTANT_CHANNEL, insert);
}

const JOB_COLUMNS = (
  [
    ["id", "text"],
    ["org_id", "text"],
    ["lead_id", "text"],
    ["kind", "text"],
    ["subject_id", "text"],
    ["status", "text"],
    ["due_at", "text"],
    ["created_at", "text"],
    ["updated_at", "text"],
  ] as const
).map(([name, type]) => ({ name, type })) satisfies JsonColumns<keyof AssistantJobsTable>;

/**
 * Enqueues jobs for messages stored in this same transaction (so none has a job yet) in one
 * insert, and tells the workers on commit (PostgreSQL), as enqueueAssistantJob does one.
 */
export async function enqueueNewAssistantJobs(
  tx: Tx,
  capabilities: Capabilities,
  jobs: readonly NewAssistantJob[],
  now: Date,
): Promise<void> {
  if (jobs.length === 0) return;
  const at = toIso(now);
  const rows = jobs.map((job) => ({
    id: newId("asj"),
    org_id: job.orgId,
    lead_id: job.leadId,
    kind: job.kind,
    subject_id: job.subjectId,
    status: "pending" as const,
    due_at: toIso(job.dueAt),
    created_at: at,
    updated_at: at,
  }));
  const insert = insertJsonRows({ capabilities }, "assistant_jobs", JOB_COLUMNS, rows);
  if (capabilities.listenNotify)
    await sql`with inserted as (${insert}) select pg_notify(${ASSISTANT_CHANNEL}, '')`.execute(tx);
  else await insert.execute(tx);
}

/**
 * A message the assistant will write: queued with its send time but no text (`draft` set, which
 * keeps the sender away), plus the job that drafts it at that time, with the conversation as it
 * stands then. Returns the message id.
 */
export async function queueDraftMessage(
  tx: Tx,
  capabilities: Capabilities,
  message: Omit<OutboundMessage, "text" | "subject" | "author" | "draft">,
  kind: DraftKind,
  now: Date,
): Promise<string> {
  const id = await insertOutboundMessage(
    tx,
    capabilities,
    { ...message, text: "", subject: null, author: "assistant", draft: kind },
    now,
  );
  await enqueueAssistantJob(
    tx,
    capabilities,
    { orgId: message.orgId, leadId: message.leadId, kind: "draft", subjectId: id, dueAt: message.dueAt },
    now,
  );
  return id;
}
