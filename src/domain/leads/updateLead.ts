import type { Updateable } from "kysely";
import { toIso } from "../../clock.js";
import type { LeadsTable } from "../../db/schema.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError } from "../errors.js";
import { fitsVersionedWrite, writeVersionedLeadChanges } from "../events/changeLeadPg.js";
import { collectEvents, type Emit, inTransaction } from "../events/transaction.js";
import { leadStamp } from "../syncClock.js";
import { applyAdditionalInfo } from "./applyAdditionalInfo.js";
import { checkFollowUpConfigUsable, type FollowUpConfig, NURTURE, STOPPED } from "./followUpConfig.js";
import type { UpdateLeadInput } from "./leadInput.js";
import { effectiveFollowUpConfig, type LeadRow, loadLiveLeadRow, loadVersionedLeadRow } from "./leadView.js";

const HOUR_MS = 3_600_000;

/**
 * The contract's timer rules: setting `followUpStep` and/or `followUpConfig` restarts the timer
 * at now + the step's hours (step only: that step; config only: the current step with the new
 * timing; both: a full reset at the given step).
 */
function nextTimer(
  config: FollowUpConfig,
  step: number,
  now: Date,
): { follow_up_step: number; next_follow_up_at: string | null } {
  if (step === STOPPED || step === NURTURE) return { follow_up_step: step, next_follow_up_at: null };
  const stepConfig = config[String(step)];
  if (stepConfig === undefined) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `Follow-up step ${step} does not exist in the lead's follow-up config.`,
      [
        {
          path: "followUpStep",
          message: `step ${step} is not in followUpConfig (it has ${Object.keys(config).length})`,
        },
      ],
    );
  }
  return {
    follow_up_step: step,
    next_follow_up_at: toIso(new Date(now.getTime() + stepConfig.hours * HOUR_MS)),
  };
}

/** Tries on a changing row before the locked path takes over (PostgreSQL). */
const VERSIONED_TRIES = 4;

/**
 * PATCH /v1/leads/{id}. On PostgreSQL the lead is read without a lock and the change written
 * back in one statement that checks the row is still the version read (changeLeadPg.ts): two
 * round trips instead of five, and nothing held between them. If the row moved on, the change is
 * worked out again from the new row, so a racing change is merged, never overwritten; after a
 * few such tries (a lead changed many times a second), or for anything else, the change runs in
 * a transaction holding the lead's row lock, as on SQLite.
 */
export async function updateLead(
  ctx: DomainContext,
  orgId: string,
  leadId: string,
  input: UpdateLeadInput,
): Promise<void> {
  if (ctx.capabilities.versionedLeadWrites) {
    for (let tries = 0; tries < VERSIONED_TRIES; tries++) {
      const { row, version } =
        ctx.leadReads !== undefined
          ? await ctx.leadReads.load(orgId, leadId)
          : await loadVersionedLeadRow(ctx.db, orgId, leadId);
      const { emit, events } = collectEvents(ctx);
      const changes = await planLeadUpdate(ctx.db, row, input, ctx.clock.now(), emit);
      if (!fitsVersionedWrite(changes)) break;
      const change = { leadId, version, changes, events };
      const written =
        ctx.leadChanges !== undefined
          ? await ctx.leadChanges.write(orgId, change)
          : (await writeVersionedLeadChanges(ctx, orgId, [change])).has(leadId);
      if (written) return;
    }
  }
  await inTransaction(ctx, async (tx, emit) => {
    const row = await loadLiveLeadRow(tx, ctx.capabilities, orgId, leadId);
    const now = ctx.clock.now();
    const changes = await planLeadUpdate(tx, row, input, now, emit);
    Object.assign(changes, await leadStamp(tx, orgId, leadId, now));
    await tx.updateTable("leads").set(changes).where("id", "=", leadId).where("org_id", "=", orgId).execute();
  });
}

/** The columns a PATCH changes, worked out from the lead as read; emits its events. */
async function planLeadUpdate(
  db: Tx,
  row: LeadRow,
  input: UpdateLeadInput,
  now: Date,
  emit: Emit,
): Promise<Updateable<LeadsTable>> {
  const changes: Updateable<LeadsTable> = {};

  if (input.firstName !== undefined) changes.first_name = input.firstName;
  if (input.lastName !== undefined) changes.last_name = input.lastName;
  if (input.email !== undefined) changes.email = input.email;
  if (input.timeZone !== undefined) changes.time_zone = input.timeZone;
  if (input.externalLeadId !== undefined) changes.external_lead_id = input.externalLeadId;
  if (input.isAiOn !== undefined) changes.is_ai_on = input.isAiOn ? 1 : 0;
  // Turning the assistant off stops the pending follow-up at once.
  if (input.isAiOn === false) changes.next_follow_up_at = null;

  if (input.followUpConfig !== undefined) {
    changes.follow_up_config = input.followUpConfig === null ? null : JSON.stringify(input.followUpConfig);
  }
  const config = effectiveFollowUpConfig({
    id: row.id,
    profile_id: row.profile_id,
    follow_up_config:
      changes.follow_up_config === undefined ? row.follow_up_config : changes.follow_up_config,
    profile_follow_up_config: row.profile_follow_up_config,
  });
  if (input.followUpConfig !== undefined || input.email !== undefined) {
    const profile = await db
      .selectFrom("profiles")
      .select(["sms_enabled", "email_enabled", "voice_enabled"])
      .where("id", "=", row.profile_id)
      .executeTakeFirstOrThrow();
    const email = input.email === undefined ? row.email : input.email;
    const issues = checkFollowUpConfigUsable(
      config,
      {
        smsEnabled: profile.sms_enabled === 1,
        emailEnabled: profile.email_enabled === 1,
        voiceEnabled: profile.voice_enabled === 1,
      },
      email,
      "followUpConfig",
    );
    if (issues.length > 0) {
      const path = input.followUpConfig === undefined ? "email" : undefined;
      throw new DomainError(
        "VALIDATION_FAILED",
        "The follow-up config cannot be used for this lead.",
        issues.map((issue) =>
          path ? { path, message: `needed by ${issue.path}: ${issue.message}` } : issue,
        ),
      );
    }
  }
  if (input.followUpStep !== undefined) {
    Object.assign(changes, nextTimer(config, input.followUpStep, now));
  } else if (input.followUpConfig !== undefined && row.follow_up_step >= 1) {
    Object.assign(changes, nextTimer(config, row.follow_up_step, now));
  }

  if (input.additionalInfo !== undefined) {
    const externalLeadId =
      changes.external_lead_id === undefined ? row.external_lead_id : changes.external_lead_id;
    const merged = await applyAdditionalInfo(emit, row, input.additionalInfo, externalLeadId ?? null);
    if (merged !== undefined) changes.additional_info = merged;
  }

  return changes;
}
