import { z } from "zod";

/**
 * The body of GET /openapi.json, checked as far as tests read it. The route is @fastify/swagger's, not one of
 * ours, so there is no route type to name: the document is parsed instead.
 */
const operationSchema = z.looseObject({
  security: z.unknown().optional(),
  requestBody: z.unknown().optional(),
  parameters: z.array(z.looseObject({ name: z.string() })).optional(),
});

const documentSchema = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), operationSchema)),
  components: z.looseObject({ securitySchemes: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export type OpenApiDocument = z.output<typeof documentSchema>;

export function parseOpenApiDocument(body: unknown): OpenApiDocument {
  return documentSchema.parse(body);
}
