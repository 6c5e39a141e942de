/**
 * Every JSON column the domain reads, with the schema its stored text must fit. Stored JSON is
 * read only through these readers (`npm run lint` refuses `JSON.parse(…) as T`): a row that does
 * not fit throws a CorruptRowError naming the table, column and row, an internal error (500,
 * logged), instead of an unchecked value travelling on under a type it does not have.
 *
 * Why one catalogue here rather than a reader beside each schema: the schemas stay where they
 * are (each feature owns its rules), db/ stays free of domain imports (jsonColumn.ts is the
 * mechanism), and a newcomer sees every JSON column and how it is checked in one file. This file
 * imports only schema modules, which import nothing back, so it cannot join an import cycle.
 *
 * Most columns are read with the same schema their writes were validated with, as the settings
 * always were: a stored row is trusted only as far as the rules it was written under. So a rule
 * tightened later (a lower limit, a retired event type or template variable) makes rows written
 * before it fail here, loudly: tightening such a schema needs a migration of the stored rows.
 * Where stored rows may rightly go beyond the input rules, the reader checks the shape instead,
 * and says why.
 */
import { z } from "zod";
import { jsonColumn } from "../db/jsonColumn.js";
import type { JsonValue } from "./events/catalog.js";
import { followUpConfigSchema } from "./leads/followUpConfig.js";
import { storedChannelsSchema } from "./notifications/notificationInput.js";
import { followUpTemplatesSchema } from "./profiles/profileInput.js";
import { messageTemplateSchema } from "./profiles/templates.js";
import { DEFAULT_SETTINGS, settingsSchema, withDefaults } from "./settings/settingsSchema.js";
import { eventFilterSchema } from "./webhooks/endpointInput.js";

/**
 * A JSON object of any values. JSON.parse only ever yields JSON values, so they need no second
 * look; what readers rely on is that the whole is an object (not an array, a string or null).
 */
const jsonObjectSchema = z.record(z.string(), z.custom<JsonValue>());

// profiles
export const profileFollowUpConfig = jsonColumn("profiles", "follow_up_config", followUpConfigSchema);
export const profileStepTemplates = jsonColumn("profiles", "step_templates", followUpTemplatesSchema);
export const profileNurtureTemplate = jsonColumn("profiles", "nurture_template", messageTemplateSchema);
/** Only the shape, as it was always read: the key rules are the profile input's. */
export const profileExtractKeys = jsonColumn("profiles", "extract_keys", z.array(z.string()));

// leads
/**
 * Only the shape: merges (PATCH, addContext, the assistant's extraction) may take a lead past
 * the input's 500 keys, which bound one request, not the stored object.
 */
export const leadAdditionalInfo = jsonColumn("leads", "additional_info", jsonObjectSchema);
/** The lead's own override; see `effectiveFollowUpConfig` (leads/leadView.ts) for the fallback. */
export const leadFollowUpConfig = jsonColumn("leads", "follow_up_config", followUpConfigSchema);

// settings
/** The stored document holds what the org changed; defaults fill the rest before the check. */
export const settingsData = jsonColumn(
  "settings",
  "data",
  z
    .unknown()
    .transform((stored) => withDefaults(DEFAULT_SETTINGS, stored))
    .pipe(settingsSchema),
);

// events and the lead timeline
/**
 * Only the shape: the body is the history receivers got, kept as sent; the strict contract
 * schemas (test/eventSchemas.ts) describe what we send today, not every body stored before.
 */
export const eventBody = jsonColumn("events", "body", jsonObjectSchema);
/** Entries of different types carry different objects; readers rely on an object only. */
export const timelineData = jsonColumn("timeline", "data", jsonObjectSchema);

// webhooks, notifications, the dev sink
export const endpointEventFilter = jsonColumn("webhook_endpoints", "events", eventFilterSchema);
export const notificationRuleChannels = jsonColumn("notification_rules", "channels", storedChannelsSchema);
export const devOutboxHeaders = jsonColumn("dev_outbox", "headers", z.record(z.string(), z.string()));
/**
 * The provider's request parameters, as received. A listing kept for diagnosis: parameters that
 * do not fit read as `{}` rather than hide the text, as they always did (text that is not JSON
 * still fails).
 */
export const unroutedInboundParams = jsonColumn(
  "unrouted_inbound",
  "params",
  z.record(z.string(), z.union([z.string(), z.array(z.string())])).catch({}),
);

// Not read through this file (yet):
// - webhook_attempts.request_headers: checked in webhooks/deliveryRows.ts (storedHeadersSchema).
// - lead_imports.options and .columns, lead_import_rows.cells: leads/importJobs.ts still casts
//   them; it is to be converted next (see the allowlist in scripts/noJsonCasts.grit).
// - settings.data at start: messages/serverSmsSenders.ts looks only at the SMS sender names, with
//   safeParse, to warn about conflicts; a document that fails there is left to settingsData.
