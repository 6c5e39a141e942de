import { toIso } from "../../clock.js";
import type { WebhookEndpointsTable } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { DomainContext } from "../context.js";
import { invalid } from "../errors.js";
import type { CreateEndpointInput, UpdateEndpointInput } from "./endpointInput.js";
import { endpointFilter, loadEndpointRow } from "./endpointRow.js";
import { countMissedEvents } from "./recover.js";
import { generateSecret, secretPrefix } from "./secrets.js";

/** How long the old secret keeps signing after a rotation, so receivers can switch at their pace. */
const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

/** The operator's defaults for a new endpoint; its URL is vetted by `ctx.outboundUrlProblem`. */
export interface EndpointPolicy {
  defaultMaxConcurrency: number;
}

/** The policy from the operator's configuration. */
export function endpointPolicy(config: { webhooks: { defaultMaxConcurrency: number } }): EndpointPolicy {
  return { defaultMaxConcurrency: config.webhooks.defaultMaxConcurrency };
}

export type DisabledReason = "manual" | "gone" | "failing";

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: DisabledReason | null;
  disabledAt: string | null;
  maxConcurrency: number;
  rateLimitPerSecond: number | null;
  secretPrefix: string;
  createdAt: string;
  updatedAt: string;
}

/** What an endpoint did not receive while it was disabled, offered for replay on re-enable. */
export interface MissedEvents {
  since: string;
  events: number;
}

function disabledReason(value: string | null): DisabledReason | null {
  return value === "manual" || value === "gone" || value === "failing" ? value : null;
}

function toView(row: WebhookEndpointsTable): EndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: endpointFilter(row),
    enabled: row.enabled === 1,
    disabledReason: disabledReason(row.disabled_reason),
    disabledAt: row.disabled_at,
    maxConcurrency: row.max_concurrency,
    rateLimitPerSecond: row.rate_limit_per_second,
    secretPrefix: secretPrefix(row.secret),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Refuses URLs the dispatcher must never call (SSRF), before anything is stored. */
async function assertUsableUrl(ctx: DomainContext, url: string): Promise<void> {
  const problem = await ctx.outboundUrlProblem(url);
  if (problem !== undefined) throw invalid("url", problem);
}

export async function createEndpoint(
  ctx: DomainContext,
  orgId: string,
  input: CreateEndpointInput,
  policy: EndpointPolicy,
): Promise<EndpointView & { secret: string }> {
  await assertUsableUrl(ctx, input.url);
  const now = toIso(ctx.clock.now());
  const row: WebhookEndpointsTable = {
    id: newId("whe"),
    org_id: orgId,
    url: input.url,
    description: input.description ?? null,
    events: JSON.stringify(input.events),
    secret: input.secret ?? generateSecret(),
    previous_secret: null,
    previous_secret_expires_at: null,
    enabled: input.enabled ? 1 : 0,
    disabled_reason: input.enabled ? null : "manual",
    disabled_at: input.enabled ? null : now,
    max_concurrency: input.maxConcurrency ?? policy.defaultMaxConcurrency,
    rate_limit_per_second: input.rateLimitPerSecond,
    failing_since: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto("webhook_endpoints").values(row).execute();
  return { ...toView(row), secret: row.secret };
}

export async function listEndpoints(ctx: DomainContext, orgId: string): Promise<EndpointView[]> {
  const rows = await ctx.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toView);
}

export async function getEndpoint(
  ctx: DomainContext,
  orgId: string,
  endpointId: string,
): Promise<EndpointView> {
  return toView(await loadEndpointRow(ctx.db, orgId, endpointId));
}

/** Columns that change when `enabled` flips; nothing when it stays as it is. */
function enabledChange(row: WebhookEndpointsTable, enabled: boolean | undefined, now: string) {
  if (enabled === undefined || enabled === (row.enabled === 1)) return {};
  return enabled
    ? { enabled: 1 as const, disabled_reason: null, disabled_at: null, failing_since: null }
    : { enabled: 0 as const, disabled_reason: "manual", disabled_at: now };
}

/**
 * Given fields replace stored ones. Re-enabling answers with what the endpoint missed while it
 * was off, so the caller can offer a replay (`recover`) instead of silently losing events.
 */
export async function updateEndpoint(
  ctx: DomainContext,
  orgId: string,
  endpointId: string,
  input: UpdateEndpointInput,
): Promise<EndpointView & { missed?: MissedEvents }> {
  // Outside the transaction: a DNS lookup must not hold the (SQLite: only) write lock.
  if (input.url !== undefined) await assertUsableUrl(ctx, input.url);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await loadEndpointRow(tx, orgId, endpointId, ctx.capabilities.rowLocks);
    const now = toIso(ctx.clock.now());
    const changes = {
      ...(input.url === undefined ? {} : { url: input.url }),
      ...(input.events === undefined ? {} : { events: JSON.stringify(input.events) }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.maxConcurrency === undefined ? {} : { max_concurrency: input.maxConcurrency }),
      ...(input.rateLimitPerSecond === undefined ? {} : { rate_limit_per_second: input.rateLimitPerSecond }),
      ...enabledChange(row, input.enabled, now),
      updated_at: now,
    };
    await tx.updateTable("webhook_endpoints").set(changes).where("id", "=", row.id).execute();
    const updated: WebhookEndpointsTable = { ...row, ...changes };
    const view = toView(updated);
    const since = row.disabled_at;
    if (row.enabled === 1 || updated.enabled === 0 || since === null) return view;
    return { ...view, missed: { since, events: await countMissedEvents(tx, updated, since) } };
  });
}

/**
 * Removes the endpoint with its deliveries and their attempts, children first: ON DELETE
 * CASCADE is not enforced by SQLite connections opened without foreign keys on.
 */
export async function deleteEndpoint(ctx: DomainContext, orgId: string, endpointId: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await loadEndpointRow(tx, orgId, endpointId, ctx.capabilities.rowLocks);
    await tx
      .deleteFrom("webhook_attempts")
      .where("delivery_id", "in", (eb) =>
        eb.selectFrom("webhook_deliveries").select("id").where("endpoint_id", "=", row.id),
      )
      .execute();
    await tx.deleteFrom("webhook_deliveries").where("endpoint_id", "=", row.id).execute();
    await tx.deleteFrom("webhook_endpoints").where("id", "=", row.id).execute();
  });
}

/** The new secret becomes current; the old one keeps signing beside it for 24 hours. */
export async function rotateSecret(
  ctx: DomainContext,
  orgId: string,
  endpointId: string,
  secret: string | undefined,
): Promise<{ secret: string; previousSecretExpiresAt: string }> {
  const next = secret ?? generateSecret();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await loadEndpointRow(tx, orgId, endpointId, ctx.capabilities.rowLocks);
    const now = ctx.clock.now();
    const expiresAt = toIso(new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS));
    await tx
      .updateTable("webhook_endpoints")
      .set({
        secret: next,
        previous_secret: row.secret,
        previous_secret_expires_at: expiresAt,
        updated_at: toIso(now),
      })
      .where("id", "=", row.id)
      .execute();
    return { secret: next, previousSecretExpiresAt: expiresAt };
  });
}
