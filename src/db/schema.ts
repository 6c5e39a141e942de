import type { ColumnType, Generated } from "kysely";

/**
 * Row types. Portable column types on purpose: times are ISO 8601 UTC text (sorts the same
 * everywhere), booleans are 0/1 integers, JSON is text. One query path serves SQLite and
 * PostgreSQL without per-dialect row mapping.
 */
export type Bool = 0 | 1;

export interface OrgsTable {
  id: string;
  name: string;
  lead_limit: number | null;
  inbound_token: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  is_admin: Bool;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A browser session: signed in with an API key, carried by the `lw_session` cookie. */
export interface SessionsTable {
  id: string;
  org_id: string;
  key_id: string;
  /** SHA-256 (hex) of the cookie's token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

export interface ProfilesTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  sms_enabled: Bool;
  email_enabled: Bool;
  voice_enabled: Bool;
  initial_message: string | null;
  /** Subject of the initial message when it goes out by email. */
  initial_subject: string | null;
  /** JSON: follow-up config, see domain/leads/followUpConfig.ts */
  follow_up_config: string;
  /** JSON: { "<step>": { text, subject? } } */
  step_templates: string;
  /** JSON: { text, subject? } | null */
  nurture_template: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Free text for the assistant: who we are, what we offer, tone, what to ask. */
  instructions: string | null;
  booking_url: string | null;
  /** JSON: string[] of additionalInfo keys the assistant pulls from replies. */
  extract_keys: string;
  max_sms_length: number;
  /** 1: the assistant writes an initial message when the profile has no template for it. */
  initial_outreach: Bool;
}

export interface LeadsTable {
  id: string;
  org_id: string;
  profile_id: string;
  first_name: string;
  last_name: string;
  phone: string;
  email: string | null;
  time_zone: string | null;
  external_lead_id: string | null;
  /** JSON object */
  additional_info: string;
  summary: string | null;
  has_replied: Bool;
  is_hot: Bool;
  is_qualified: Bool;
  is_unsubscribed: Bool;
  is_ai_on: Bool;
  /** JSON: per-lead follow-up config override, or null to use the profile's */
  follow_up_config: string | null;
  follow_up_step: number;
  next_follow_up_at: string | null;
  /** Bumped when the sequence restarts at step 1; steps are unique per (lead, cycle). */
  follow_up_cycle: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The org's sync clock position when the lead was created / last changed (see syncClock.ts). */
  created_seq: Generated<number>;
  updated_seq: Generated<number>;
  last_activity_at: string | null;
  deleted_at: string | null;
}

export interface TagsTable {
  id: string;
  org_id: string;
  name: string;
  color: string | null;
  condition: string | null;
  is_manual: Bool;
  created_at: string;
  updated_at: string;
}

export interface LeadTagsTable {
  lead_id: string;
  tag_id: string;
  org_id: string;
  created_at: string;
}

export interface DncTable {
  org_id: string;
  phone: string;
  created_at: string;
}

export interface SettingsTable {
  org_id: string;
  /** JSON: the org's settings document, see domain/settings */
  data: string;
  updated_at: string;
}

export interface EventsTable {
  id: string;
  org_id: string;
  type: string;
  lead_id: string | null;
  /** The exact JSON body receivers get, serialised once so every delivery is byte-identical. */
  body: string;
  occurred_at: string;
  created_at: string;
  /** The org's sync clock position of the transaction that stored it (see syncClock.ts). */
  seq: Generated<number>;
  /** 1 for the samples of the endpoint test route: delivered once, never listed or fanned out. */
  is_test: Generated<Bool>;
}

/** One per org: the last commit-ordered position and time handed out (see syncClock.ts). */
export interface SyncClocksTable {
  org_id: string;
  seq: number;
  at: string;
}

export interface TimelineTable {
  id: string;
  org_id: string;
  lead_id: string;
  type: string;
  /** JSON */
  data: string;
  timestamp: string;
  updated_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  description: string | null;
  /** JSON: ["*"] or event names */
  events: string;
  secret: string;
  /** Kept signing beside the new secret for 24 h after a rotation. */
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  enabled: Bool;
  /** "manual" | "gone" (410) | "failing" (5 days of failures) */
  disabled_reason: string | null;
  disabled_at: string | null;
  max_concurrency: number;
  rate_limit_per_second: number | null;
  /** Start of the current run of failed attempts; null after any success. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export type DeliveryStatus = "pending" | "succeeded" | "failed";

export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  /** A worker's claim: who holds it and until when (a lease; expired leases are re-claimed). */
  locked_by: string | null;
  locked_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  org_id: string;
  attempted_at: string;
  duration_ms: number;
  status_code: number | null;
  /** First 4 KiB of the response body. */
  response_body: string | null;
  /** The network error, when there was no response. */
  error: string | null;
  succeeded: Bool;
  /** The worker that made the attempt (null for explicit sends from the API). */
  worker_id: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The request's headers as a JSON object of strings (migration 0013); null for attempts made
   * before headers were stored.
   */
  request_headers: ColumnType<string | null, string | null | undefined, string | null>;
}

export type MessageChannel = "sms" | "email";
export type MessageStatus =
  | "queued"
  | "sending"
  | "sent"
  | "delivered"
  | "undelivered"
  | "failed"
  | "blocked"
  | "unknown"
  | "received";

export interface MessagesTable {
  id: string;
  org_id: string;
  lead_id: string;
  channel: MessageChannel;
  direction: "outbound" | "inbound";
  status: MessageStatus;
  text: string;
  subject: string | null;
  segments: number | null;
  encoding: string | null;
  /** The follow-up step this message is (null: not a follow-up; -2: long-term nurture). */
  follow_up_step: number | null;
  /** The lead's follow-up cycle the step belongs to (null: not a follow-up). */
  follow_up_cycle: ColumnType<number | null, number | null | undefined, number | null>;
  schedule_follow_ups: Generated<Bool>;
  override_business_hours: Generated<Bool>;
  send_when_off: Generated<Bool>;
  /** When a queued message may go out. */
  due_at: string | null;
  attempts: Generated<number>;
  /** The claim taken before the provider is called; a claim that never finished means `unknown`. */
  claimed_by: string | null;
  claimed_at: string | null;
  provider: string | null;
  provider_message_id: string | null;
  /** Highest provider status seen, so late or repeated callbacks never move a message backwards. */
  provider_status_rank: Generated<number>;
  error_code: string | null;
  error_message: string | null;
  blocked_reason: string | null;
  timeline_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  /**
   * Set, and committed, right before the provider is called for the current claim: a stale claim
   * without it surely never reached the provider (see jobs/messages/providerCallMarks.ts).
   */
  provider_call_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the reconciler may next look this `unknown` message up at its provider. */
  next_reconcile_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the reconciler queued it again as surely never sent: it does that once per message, never twice. */
  auto_resent_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who wrote the text: the assistant, a template, or a person (the API); null before 0009. */
  author: ColumnType<MessageAuthor | null, MessageAuthor | null | undefined, MessageAuthor | null>;
  /** What the assistant still has to write (the message waits, `due_at` null, until it has). */
  draft: ColumnType<DraftKind | null, DraftKind | null | undefined, DraftKind | null>;
  /** The inbound message this one answers: at most one reply each (unique). */
  reply_to_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type MessageAuthor = "assistant" | "template" | "person" | "system";
export type DraftKind = "initial" | "step" | "nurture";

export interface AssistantJobsTable {
  id: string;
  org_id: string;
  lead_id: string;
  /** `read`: an inbound message to read; `draft`: an outbound message to write. */
  kind: "read" | "draft";
  /** The message the job is about. */
  subject_id: string;
  status: "pending" | "done" | "failed";
  due_at: string | null;
  attempts: Generated<number>;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationRulesTable {
  id: string;
  org_id: string;
  name: string;
  condition: string;
  enabled: Bool;
  /** JSON: the channels whose conversations the rule watches, e.g. ["sms","email"]. */
  channels: string;
  created_at: string;
  updated_at: string;
}

export interface LeadOptOutsTable {
  lead_id: string;
  channel: string;
  org_id: string;
  reason: string | null;
  created_at: string;
}

export interface UnsubscribeTokensTable {
  token: string;
  org_id: string;
  lead_id: string;
  channel: string;
  created_at: string;
}

export interface DevOutboxTable {
  id: string;
  org_id: string;
  message_id: string | null;
  channel: MessageChannel;
  to: string;
  subject: string | null;
  body: string;
  /** JSON of the headers a real provider would have sent (email). */
  headers: string | null;
  created_at: string;
}

/** Who owns a sending number (E.164) or messaging service SID: inbound texts to it route there. */
export interface SmsSendersTable {
  sender: string;
  org_id: string;
  /** "settings": named in the org's settings; "server": the server's TWILIO_FROM / messaging service. */
  origin: "settings" | "server";
  created_at: string;
}

/** An inbound text that reached no lead (no owner for its number, or no lead with its phone). */
export interface UnroutedInboundTable {
  provider: string;
  message_sid: string;
  /** Null when no org owns the number it was sent to. */
  org_id: string | null;
  from_address: string;
  to_address: string;
  body: string;
  /** JSON: the provider's request parameters as received (signature-checked). */
  params: string;
  reason: string;
  resolved: Generated<Bool>;
  resolved_at: string | null;
  received_at: string;
}

/** A phone's opt-out in an org that holds no lead with it yet (a STOP from an unknown phone). */
export interface PhoneOptOutsTable {
  org_id: string;
  phone: string;
  channel: string;
  message_sid: string | null;
  created_at: string;
}

/** A CSV import sent to the API (migration 0015); the file is dropped once it is finished. */
export interface LeadImportsTable {
  id: string;
  org_id: string;
  /** The customer profile every lead gets (its name, as the create route takes it). */
  profile: string;
  dry_run: Bool;
  /** JSON: `{ map: string[], defaultCountry?: string }`. */
  options: string;
  /** JSON: the column plan's "column → target" lines, as decided when the file was accepted. */
  columns: string;
  csv: string | null;
  status: "queued" | "running" | "done" | "failed";
  /** Data rows whose outcome is committed: a runner taking the job over goes on from there. */
  records_done: number;
  rows_seen: number;
  imported: number;
  rejected: number;
  duplicates: number;
  blank: number;
  error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A row an import skipped: rejected (with the schema's reasons) or a duplicate phone. */
export interface LeadImportRowsTable {
  import_id: string;
  row: number;
  outcome: "rejected" | "duplicate";
  reason: string;
  /** JSON array of the row's cells as read. */
  cells: string;
}

export interface DB {
  orgs: OrgsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  profiles: ProfilesTable;
  leads: LeadsTable;
  tags: TagsTable;
  lead_tags: LeadTagsTable;
  dnc: DncTable;
  settings: SettingsTable;
  events: EventsTable;
  sync_clocks: SyncClocksTable;
  timeline: TimelineTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  messages: MessagesTable;
  lead_opt_outs: LeadOptOutsTable;
  unsubscribe_tokens: UnsubscribeTokensTable;
  dev_outbox: DevOutboxTable;
  sms_senders: SmsSendersTable;
  unrouted_inbound: UnroutedInboundTable;
  phone_opt_outs: PhoneOptOutsTable;
  assistant_jobs: AssistantJobsTable;
  notification_rules: NotificationRulesTable;
  lead_imports: LeadImportsTable;
  lead_import_rows: LeadImportRowsTable;
}
