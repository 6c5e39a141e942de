import { toIso } from "../../clock.js";
import type { DomainContext, Tx } from "../context.js";
import { DomainError, invalid } from "../errors.js";
import { settingsData } from "../jsonColumns.js";
import {
  checkSettings,
  DEFAULT_SETTINGS,
  mergeSettings,
  type Settings,
  type SettingsPatch,
} from "./settingsSchema.js";
import { claimSmsSenders } from "./smsSenders.js";

/**
 * Parsed documents by their stored text: every send reads the org's settings, and validating the
 * same JSON again each time cost more than the send's queries. The text is the key, so a change
 * is never served stale; callers get a copy they may change.
 */
const parsed = new Map<string, Settings>();

function fromStored(data: string, orgId: string): Settings {
  let settings = parsed.get(data);
  if (settings === undefined) {
    // Only validated documents are written, so a failure means the rules tightened under stored data.
    settings = settingsData.read(data, orgId);
    if (parsed.size >= 1000) parsed.clear();
    parsed.set(data, settings);
  }
  return structuredClone(settings);
}

/** The org's settings, defaults when it never changed any; for domain code inside its own transaction. */
export async function loadSettings(tx: Tx, orgId: string): Promise<Settings> {
  return settingsOf(await storedSettings(tx, orgId), orgId);
}

/** The org's stored settings document; undefined when it never changed any. */
export async function storedSettings(tx: Tx, orgId: string): Promise<string | undefined> {
  const row = await tx.selectFrom("settings").select("data").where("org_id", "=", orgId).executeTakeFirst();
  return row?.data;
}

function settingsOf(data: string | undefined, orgId: string): Settings {
  return data === undefined ? structuredClone(DEFAULT_SETTINGS) : fromStored(data, orgId);
}

/**
 * Settings by org for one batch of work in one transaction: each org's row is read once. The
 * same object is handed to every caller of the batch, so callers must not change it.
 */
export function settingsCache(tx: Tx): (orgId: string) => Promise<Settings> {
  const byOrg = new Map<string, Promise<Settings>>();
  return (orgId) => {
    let settings = byOrg.get(orgId);
    if (settings === undefined) {
      settings = loadSettings(tx, orgId);
      byOrg.set(orgId, settings);
    }
    return settings;
  };
}

/** The org's settings, outside any transaction (read once per turn for all who ask: turnReads.ts). */
export async function getSettings(ctx: DomainContext, orgId: string): Promise<Settings> {
  if (ctx.sharedReads === undefined) return loadSettings(ctx.db, orgId);
  return settingsOf(await ctx.sharedReads.settings.load(orgId), orgId);
}

/**
 * Holds the org's settings row until the transaction ends, so concurrent PATCHes merge one after
 * another instead of overwriting each other's keys. The row is created first because a lock
 * needs a row; SQLite serialises transactions and has no FOR UPDATE.
 */
async function lockSettings(ctx: DomainContext, tx: Tx, orgId: string): Promise<Settings> {
  await tx
    .insertInto("settings")
    .values({ org_id: orgId, data: JSON.stringify(DEFAULT_SETTINGS), updated_at: toIso(ctx.clock.now()) })
    .onConflict((oc) => oc.column("org_id").doNothing())
    .execute();
  const row = await tx
    .selectFrom("settings")
    .select("data")
    .where("org_id", "=", orgId)
    .$if(ctx.capabilities.rowLocks, (query) => query.forUpdate())
    .executeTakeFirstOrThrow();
  return fromStored(row.data, orgId);
}

function assertValid(candidate: Settings): Settings {
  const checked = checkSettings(candidate);
  if (checked.ok) return checked.settings;
  const fields = [...new Set(checked.issues.map((issue) => issue.path))].join(", ");
  throw new DomainError("VALIDATION_FAILED", `Invalid settings: check ${fields}.`, checked.issues);
}

/** Merges the patch into the stored document; the whole result must validate or nothing changes. */
export async function updateSettings(
  ctx: DomainContext,
  orgId: string,
  patch: SettingsPatch,
): Promise<Settings> {
  // Vetted when saved, like a webhook URL, not only when the first message is checked: the
  // operator learns of a private or loopback address now, and nothing is stored.
  const complianceUrl = patch.complianceCheck?.url;
  if (complianceUrl !== undefined) {
    const problem = await ctx.outboundUrlProblem(complianceUrl);
    if (problem !== undefined) throw invalid("complianceCheck.url", problem);
  }
  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockSettings(ctx, tx, orgId);
    const merged = assertValid(mergeSettings(current, patch));
    await claimSmsSenders(tx, orgId, current.senders.sms, merged.senders.sms, ctx.clock.now());
    // A token given now is sealed for storage; one already stored stays as it is.
    const withTwilio =
      patch.twilio && merged.twilio
        ? { ...merged, twilio: { ...merged.twilio, authToken: ctx.secrets.seal(patch.twilio.authToken) } }
        : merged;
    const llm = patch.assistant?.llm;
    const settings =
      llm?.apiKey && withTwilio.assistant.llm
        ? {
            ...withTwilio,
            assistant: {
              ...withTwilio.assistant,
              llm: { ...withTwilio.assistant.llm, apiKey: ctx.secrets.seal(llm.apiKey) },
            },
          }
        : withTwilio;
    await tx
      .updateTable("settings")
      .set({ data: JSON.stringify(settings), updated_at: toIso(ctx.clock.now()) })
      .where("org_id", "=", orgId)
      .execute();
    return settings;
  });
}
