import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type { Lead, LeadPage, NewLead, OutboundMessage, TimelineEntry } from "./types";

const EPOCH = "1970-01-01T00:00:00Z";
const PAGE_SIZE = "50";
const TIMELINE_PAGE_SIZE = "200";
/** A thread longer than this many pages is shown up to here (the rest waits for a later slice). */
const TIMELINE_MAX_PAGES = 10;

const leadPath = (leadId: string) => `/v1/leads/${encodeURIComponent(leadId)}`;

export function useLeadsPage(after: string | null) {
  return useQuery({
    queryKey: queryKeys.leadsPage(after),
    queryFn: () => {
      const query = new URLSearchParams({ createdSince: EPOCH, limit: PAGE_SIZE });
      if (after !== null) query.set("nextToken", after);
      return apiRequest<LeadPage>(`/v1/leads?${query}`);
    },
  });
}

export function useLead(leadId: string) {
  return useQuery({
    queryKey: queryKeys.lead(leadId),
    queryFn: () => apiRequest<Lead>(leadPath(leadId)),
    refetchInterval: 5_000,
  });
}

async function fetchTimeline(leadId: string): Promise<{ entries: TimelineEntry[]; complete: boolean }> {
  const entries: TimelineEntry[] = [];
  let nextToken: string | null = null;
  for (let page = 0; page < TIMELINE_MAX_PAGES; page++) {
    const query = new URLSearchParams({ since: EPOCH, limit: TIMELINE_PAGE_SIZE });
    if (nextToken !== null) query.set("nextToken", nextToken);
    const answer: { events: TimelineEntry[]; nextToken: string | null } = await apiRequest(
      `${leadPath(leadId)}/events?${query}`,
    );
    entries.push(...answer.events);
    nextToken = answer.nextToken;
    if (nextToken === null) break;
  }
  return { entries, complete: nextToken === null };
}

/** The lead's timeline, polled so new messages appear without a reload. */
export function useLeadTimeline(leadId: string) {
  return useQuery({
    queryKey: queryKeys.leadTimeline(leadId),
    queryFn: () => fetchTimeline(leadId),
    refetchInterval: 2_000,
  });
}

export function useCreateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (lead: NewLead) =>
      apiRequest<{ id: string }>("/v1/leads/create", { method: "POST", body: lead }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.allLeads }),
  });
}

export function useUpdateLead(leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { isAiOn: boolean }) =>
      apiRequest<unknown>(leadPath(leadId), { method: "PATCH", body: changes }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.lead(leadId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.allLeads }),
      ]),
  });
}

export function useSendMessage(leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: OutboundMessage) =>
      apiRequest<{ messageId: string; scheduledFor: string }>(`${leadPath(leadId)}/sendMessage`, {
        method: "POST",
        body: message,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.leadTimeline(leadId) }),
  });
}
