import { z } from "zod";

/** Who the caller is, and until when its browser session lasts (null with `x-api-key`). */
export const sessionViewSchema = z.object({
  orgId: z.string(),
  keyId: z.string(),
  isAdmin: z.boolean(),
  expiresAt: z.string().nullable(),
});
export type SessionView = z.output<typeof sessionViewSchema>;
