import { z } from "zod";

/** An inbound message that reached no lead, as operators see it. */
export const unroutedViewSchema = z.object({
  provider: z.string(),
  messageSid: z.string(),
  /** Null: no org owns the number it was sent to (only admin keys see these). */
  orgId: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  body: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  reason: z.string(),
  resolved: z.boolean(),
  resolvedAt: z.string().nullable(),
  receivedAt: z.string(),
});
