/** One key per resource, so a mutation can invalidate exactly what it changed. */
export const queryKeys = {
  session: ["session"] as const,
  allLeads: ["leads"] as const,
  leadsPage: (after: string | null) => ["leads", { after }] as const,
  lead: (leadId: string) => ["lead", leadId] as const,
  leadTimeline: (leadId: string) => ["lead", leadId, "timeline"] as const,
  profiles: ["profiles"] as const,
};
