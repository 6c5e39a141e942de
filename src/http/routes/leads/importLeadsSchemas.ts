import { z } from "zod";

const outcome = z.enum(["rejected", "duplicate"]);

/** Progress of a CSV import and a page of the rows it skipped (GET /v1/leads/imports/{id}). */
export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "done", "failed"]),
  profile: z.string(),
  dryRun: z.boolean(),
  columns: z
    .record(z.string(), z.string())
    .describe("What each column feeds: a lead field, `additionalInfo.<key>` or `skip`."),
  rowsSeen: z.number().int().describe("Data rows read so far (the header excluded)."),
  imported: z.number().int().describe("Leads created (in a dry run: that would be created)."),
  rejected: z.number().int().describe("Rows the create route's rules refuse, or past the org's lead limit."),
  duplicates: z
    .number()
    .int()
    .describe("Rows whose phone an earlier row or a live lead of the org has: skipped, never updated."),
  blank: z.number().int().describe("Empty rows, skipped."),
  error: z.string().nullable().describe("Why a failed import stopped; rows committed before stay."),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  skippedRows: z.array(
    z.object({
      row: z.number().int().describe("As a spreadsheet numbers it: the header is row 1."),
      outcome,
      reason: z.string(),
      values: z.record(z.string(), z.string()),
    }),
  ),
  nextToken: z.string().nullable(),
});
export type ImportJobView = z.output<typeof importJobSchema>;
