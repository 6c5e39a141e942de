import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import type { ElementOf, ResponseOf } from "./openapiHelpers";
import { queryKeys } from "./queryKeys";

/** What the API shows instead of a stored secret (a token or key is set). */
export const REDACTED = "[redacted]";

/** `GET /v1/settings`: the org's settings document, secrets shown as `[redacted]`. */
export type Settings = ResponseOf<"/v1/settings", "get">;

export type ComplianceCheck = NonNullable<Settings["complianceCheck"]>;

export type Channel = ElementOf<ComplianceCheck["channels"]>;

/**
 * `PATCH /v1/settings`: sections merge key by key, arrays and scalars replace. Numbers are sent as
 * typed (`null` for an empty box) so the API names the field that is wrong.
 */
export interface SettingsPatch {
  assistantName?: string;
  followUpWindow?: Partial<Omit<Settings["followUpWindow"], "startHour" | "endHour">> & {
    startHour?: number | null;
    endHour?: number | null;
  };
  quietHours?: { enabled?: boolean; startHour?: number | null; endHour?: number | null };
  longTermFollowUps?: { enabled?: boolean; intervalDays?: number | null };
  unsubscribeKeywords?: string[];
  helpReply?: string;
  linkedOptOut?: boolean;
  responseDelaySeconds?: number | null;
  senders?: {
    sms?: Partial<Settings["senders"]["sms"]>;
    email?: Partial<Settings["senders"]["email"]>;
  };
  complianceCheck?: (Omit<ComplianceCheck, "timeoutMs"> & { timeoutMs: number | null }) | null;
  /** The token is required with the account; it is only ever sent, never read back. */
  twilio?: { accountSid: string; authToken?: string } | null;
  notificationEmails?: string[];
  assistant?: {
    provider?: Settings["assistant"]["provider"];
    optOutLine?: string | null;
    discloseAi?: boolean;
    allowedDomains?: string[];
    /** Without `apiKey` the stored key stays; `null` removes it. */
    llm?: { baseUrl: string; model: string; apiKey?: string | null } | null;
  };
}

export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => apiRequest<Settings>("/v1/settings") });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) =>
      apiRequest<Settings>("/v1/settings", { method: "PATCH", body: patch }),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.settings, settings),
  });
}
