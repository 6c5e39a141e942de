/** Shapes of the `/v1` answers this app reads (see /openapi.json). */

export interface Session {
  orgId: string;
  keyId: string;
  isAdmin: boolean;
  expiresAt: string;
}

export type StepChannel = "text" | "email" | "call";

export interface FollowUpStepConfig {
  hours: number;
  channel: StepChannel;
}

/** `{ "1": {...}, "2": {...} }`: keys are step numbers, consecutive from 1. */
export type FollowUpConfig = Record<string, FollowUpStepConfig>;

export interface Lead {
  id: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string | null;
  timeZone: string | null;
  customerProfile: string;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string | null;
  additionalInfo: Record<string, unknown>;
  hasReplied: boolean;
  isHot: boolean;
  isQualified: boolean;
  isUnsubscribed: boolean;
  isAiOn: boolean;
  tags: { id: string; name: string }[];
  summary: string | null;
  followUpConfig: FollowUpConfig;
  followUpStep: number;
  nextFollowUpAt: string | null;
}

export interface LeadPage {
  leads: Lead[];
  nextToken: string | null;
}

export interface NewLead {
  firstName: string;
  lastName: string;
  phone: string;
  email?: string;
  customerProfile: string;
}

export interface Profile {
  id: string;
  name: string;
  description: string | null;
  smsEnabled: boolean;
  emailEnabled: boolean;
  initialMessage: string | null;
  followUpConfig: FollowUpConfig;
  instructions: string | null;
  initialOutreach: boolean;
  createdAt: string;
}

export interface NewProfile {
  name: string;
  description?: string;
  instructions?: string;
  smsEnabled: boolean;
  emailEnabled: boolean;
  initialOutreach: boolean;
  followUpConfig: FollowUpConfig;
}

/** One entry of a lead's timeline; `data` depends on `type` and is read defensively. */
export interface TimelineEntry {
  id: string;
  type: string;
  timestamp: string;
  updatedAt: string;
  data: unknown;
}

export type MessageChannel = "sms" | "email";

export interface OutboundMessage {
  message: string;
  channel: MessageChannel;
  subject?: string;
  overrideBusinessHours: boolean;
  sendWhenOff: boolean;
}
