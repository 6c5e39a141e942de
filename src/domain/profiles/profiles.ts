import { toIso } from "../../clock.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { ProfilesTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import {
  profileExtractKeys,
  profileFollowUpConfig,
  profileNurtureTemplate,
  profileStepTemplates,
} from "../jsonColumns.js";
import {
  type CreateProfileInput,
  type ProfileData,
  profileIssues,
  type UpdateProfileInput,
} from "./profileInput.js";

export interface ProfileView extends ProfileData {
  id: string;
  createdAt: string;
  updatedAt: string;
}

function toView(row: ProfilesTable): ProfileView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    smsEnabled: row.sms_enabled === 1,
    emailEnabled: row.email_enabled === 1,
    voiceEnabled: row.voice_enabled === 1,
    initialMessage: row.initial_message,
    initialSubject: row.initial_subject,
    followUpConfig: profileFollowUpConfig.read(row.follow_up_config, row.id),
    followUpTemplates: profileStepTemplates.read(row.step_templates, row.id),
    nurtureTemplate: profileNurtureTemplate.readNullable(row.nurture_template, row.id),
    instructions: row.instructions,
    bookingUrl: row.booking_url,
    extract: profileExtractKeys.read(row.extract_keys, row.id),
    maxSmsLength: row.max_sms_length,
    initialOutreach: row.initial_outreach === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toColumns(data: ProfileData) {
  return {
    name: data.name,
    description: data.description,
    sms_enabled: data.smsEnabled ? (1 as const) : (0 as const),
    email_enabled: data.emailEnabled ? (1 as const) : (0 as const),
    voice_enabled: data.voiceEnabled ? (1 as const) : (0 as const),
    initial_message: data.initialMessage,
    initial_subject: data.initialSubject,
    follow_up_config: JSON.stringify(data.followUpConfig),
    step_templates: JSON.stringify(data.followUpTemplates),
    nurture_template: data.nurtureTemplate === null ? null : JSON.stringify(data.nurtureTemplate),
    instructions: data.instructions,
    booking_url: data.bookingUrl,
    extract_keys: JSON.stringify(data.extract),
    max_sms_length: data.maxSmsLength,
    initial_outreach: data.initialOutreach ? (1 as const) : (0 as const),
  };
}

function assertValid(data: ProfileData): void {
  const issues = profileIssues(data);
  if (issues.length > 0) throw new DomainError("VALIDATION_FAILED", "The profile is not consistent.", issues);
}

function nameTaken(name: string): DomainError {
  return new DomainError("CONFLICT", `A profile named "${name}" already exists.`, [
    { path: "name", message: "already taken" },
  ]);
}

/** `lock`: hold the row until the transaction ends, so concurrent edits apply one after the other. */
async function loadRow(tx: Tx, orgId: string, profileId: string, lock = false): Promise<ProfilesTable> {
  const row = await tx
    .selectFrom("profiles")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", profileId)
    .where("deleted_at", "is", null)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound("Profile");
  return row;
}

export async function createProfile(
  ctx: DomainContext,
  orgId: string,
  input: CreateProfileInput,
): Promise<ProfileView> {
  const data: ProfileData = {
    ...input,
    description: input.description ?? null,
    initialMessage: input.initialMessage ?? null,
    initialSubject: input.initialSubject ?? null,
    nurtureTemplate: input.nurtureTemplate ?? null,
    instructions: input.instructions ?? null,
    bookingUrl: input.bookingUrl ?? null,
  };
  assertValid(data);
  const now = toIso(ctx.clock.now());
  const row: ProfilesTable = {
    id: newId("prf"),
    org_id: orgId,
    ...toColumns(data),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  try {
    await ctx.db.insertInto("profiles").values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
  return toView(row);
}

export async function listProfiles(ctx: DomainContext, orgId: string): Promise<ProfileView[]> {
  const rows = await ctx.db
    .selectFrom("profiles")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("deleted_at", "is", null)
    .orderBy("name")
    .execute();
  return rows.map(toView);
}

export async function getProfile(ctx: DomainContext, orgId: string, profileId: string): Promise<ProfileView> {
  return toView(await loadRow(ctx.db, orgId, profileId));
}

export async function updateProfile(
  ctx: DomainContext,
  orgId: string,
  profileId: string,
  input: UpdateProfileInput,
): Promise<ProfileView> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const current = toView(await loadRow(tx, orgId, profileId, ctx.capabilities.rowLocks));
      const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const data: ProfileData = { ...current, ...patch };
      assertValid(data);
      const updatedAt = toIso(ctx.clock.now());
      await tx
        .updateTable("profiles")
        .set({ ...toColumns(data), updated_at: updatedAt })
        .where("id", "=", profileId)
        .where("org_id", "=", orgId)
        .execute();
      return { ...current, ...data, updatedAt };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? "");
    throw error;
  }
}

/** A profile that live leads still use cannot go: they would have no way to be talked to. */
export async function deleteProfile(ctx: DomainContext, orgId: string, profileId: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    // Locked: a lead being created on this profile holds a share lock on it until it commits.
    await loadRow(tx, orgId, profileId, ctx.capabilities.rowLocks);
    const inUse = await tx
      .selectFrom("leads")
      .select("id")
      .where("profile_id", "=", profileId)
      .where("deleted_at", "is", null)
      .limit(1)
      .executeTakeFirst();
    if (inUse) {
      throw new DomainError(
        "CONFLICT",
        "Leads still use this profile; switch them to another profile first.",
      );
    }
    await tx
      .updateTable("profiles")
      .set({ deleted_at: toIso(ctx.clock.now()) })
      .where("id", "=", profileId)
      .execute();
  });
}
