import { z } from "zod";

/** The one error body of the API (api.md), for the OpenAPI document. */
export const errorBodySchema = z
  .object({
    message: z.string(),
    code: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .loose();

export const errorResponses = {
  400: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
} as const;

export const messageSchema = z.object({ message: z.string() });

/** `limit` of every paginated listing: 1..1000, default 100. */
export const limitSchema = z.coerce.number().int().min(1).max(1000).default(100);

export const isoDateTimeSchema = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2024-01-15T14:30:00Z" })
  .transform((value) => new Date(value));
