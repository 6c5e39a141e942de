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
  created_at: string;
  updated_at: string;
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

export interface DB {
  orgs: OrgsTable;
  api_keys: ApiKeysTable;
  profiles: ProfilesTable;
  leads: LeadsTable;
  tags: TagsTable;
  lead_tags: LeadTagsTable;
  dnc: DncTable;
  settings: SettingsTable;
  events: EventsTable;
  timeline: TimelineTable;
}
