import { toIso } from "../../clock.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { NotificationRulesTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { ConditionRule } from "../assistant/assistant.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { notificationRuleChannels } from "../jsonColumns.js";
import type {
  CreateNotificationInput,
  NotificationChannel,
  UpdateNotificationInput,
} from "./notificationInput.js";

/** A notification rule as `GET /v1/notifications/{id}` returns it. */
export interface NotificationView {
  id: string;
  name: string;
  condition: string;
  enabled: boolean;
  channels: NotificationChannel[];
  createdAt: string;
  updatedAt: string;
}

function channelsOf(row: Pick<NotificationRulesTable, "id" | "channels">): NotificationChannel[] {
  return notificationRuleChannels.read(row.channels, row.id);
}

function toView(row: NotificationRulesTable): NotificationView {
  return {
    id: row.id,
    name: row.name,
    condition: row.condition,
    enabled: row.enabled === 1,
    channels: channelsOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function nameTaken(name: string): DomainError {
  return new DomainError("CONFLICT", `A notification named "${name}" already exists.`, [
    { path: "name", message: "already taken" },
  ]);
}

/** `lock`: hold the row until the transaction ends, so concurrent edits apply one after the other. */
async function loadRow(
  tx: Tx,
  orgId: string,
  notificationId: string,
  lock: boolean,
): Promise<NotificationRulesTable> {
  const row = await tx
    .selectFrom("notification_rules")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", notificationId)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound("Notification");
  return row;
}

export async function listNotifications(ctx: DomainContext, orgId: string): Promise<NotificationView[]> {
  const rows = await ctx.db
    .selectFrom("notification_rules")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map(toView);
}

export async function getNotification(
  ctx: DomainContext,
  orgId: string,
  notificationId: string,
): Promise<NotificationView> {
  return toView(await loadRow(ctx.db, orgId, notificationId, false));
}

export async function createNotification(
  ctx: DomainContext,
  orgId: string,
  input: CreateNotificationInput,
): Promise<NotificationView> {
  const now = toIso(ctx.clock.now());
  const row: NotificationRulesTable = {
    id: newId("ntf"),
    org_id: orgId,
    name: input.name,
    condition: input.condition,
    enabled: input.enabled ? 1 : 0,
    channels: JSON.stringify(input.channels),
    created_at: now,
    updated_at: now,
  };
  try {
    await ctx.db.insertInto("notification_rules").values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
  return toView(row);
}

export async function updateNotification(
  ctx: DomainContext,
  orgId: string,
  notificationId: string,
  input: UpdateNotificationInput,
): Promise<NotificationView> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const current = await loadRow(tx, orgId, notificationId, ctx.capabilities.rowLocks);
      const next: NotificationRulesTable = {
        ...current,
        name: input.name ?? current.name,
        condition: input.condition ?? current.condition,
        enabled: input.enabled === undefined ? current.enabled : input.enabled ? 1 : 0,
        channels: input.channels === undefined ? current.channels : JSON.stringify(input.channels),
        updated_at: toIso(ctx.clock.now()),
      };
      await tx
        .updateTable("notification_rules")
        .set({
          name: next.name,
          condition: next.condition,
          enabled: next.enabled,
          channels: next.channels,
          updated_at: next.updated_at,
        })
        .where("id", "=", notificationId)
        .where("org_id", "=", orgId)
        .execute();
      return toView(next);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? "");
    throw error;
  }
}

export async function deleteNotification(
  ctx: DomainContext,
  orgId: string,
  notificationId: string,
): Promise<void> {
  const result = await ctx.db
    .deleteFrom("notification_rules")
    .where("org_id", "=", orgId)
    .where("id", "=", notificationId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound("Notification");
}

export type EnabledRuleRow = Pick<NotificationRulesTable, "id" | "name" | "condition" | "channels">;

/** The org's enabled rules, by name. */
export function enabledRuleRows(tx: Tx, orgId: string): Promise<EnabledRuleRow[]> {
  return tx
    .selectFrom("notification_rules")
    .select(["id", "name", "condition", "channels"])
    .where("org_id", "=", orgId)
    .where("enabled", "=", 1)
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/**
 * The rules the assistant checks a conversation on `channel` against, by name, outside any
 * transaction (read once per turn for all who ask: turnReads.ts). Channels are a JSON list in
 * one column, so the filter runs here rather than in SQL; an org has a handful.
 */
export async function listEnabledRules(
  ctx: DomainContext,
  orgId: string,
  channel: NotificationChannel,
): Promise<ConditionRule[]> {
  const rows = await (ctx.sharedReads?.enabledRules.load(orgId) ?? enabledRuleRows(ctx.db, orgId));
  return rows
    .filter((row) => channelsOf(row).includes(channel))
    .map((row) => ({ id: row.id, name: row.name, condition: row.condition }));
}
