import { z } from "zod";

export const tagViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  condition: z.string().optional(),
  isManual: z.boolean(),
});
export type TagView = z.output<typeof tagViewSchema>;

export const tagIdParams = z.object({ tagId: z.string().min(1).max(100) });

export const leadTagsResponseSchema = z.object({
  tags: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type LeadTags = z.output<typeof leadTagsResponseSchema>;
