import { z } from "zod";
import { eventTypeCatalogue } from "../../../domain/events/samples.js";
import type { RegisterRoute } from "../../types.js";
import { eventTypeNameSchema } from "./endpointSchemas.js";

// The keys in the order of the envelope (events.md); only lead.additionalInfo.updated has `eventId`.
const sampleBodySchema = z
  .object({
    event: z.string(),
    eventId: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
    timestamp: z.string(),
  })
  .describe("A full webhook body of the type, exactly as a receiver gets it (sample values)");

const eventTypeSchema = z.object({
  type: eventTypeNameSchema,
  description: z.string().describe("What the event means, in one line"),
  sample: sampleBodySchema,
});

const catalogueSchema = z.object({ eventTypes: z.array(eventTypeSchema) });
export type ListEventTypesResponse = z.output<typeof catalogueSchema>;

export const listEventTypesRoute: RegisterRoute = (app) => {
  app.get(
    "/webhooks/event-types",
    {
      schema: {
        tags: ["webhooks"],
        summary: "The event catalogue: every event type an endpoint can subscribe to, with a sample body",
        response: { 200: catalogueSchema },
      },
    },
    async () => ({
      eventTypes: eventTypeCatalogue().map(({ type, description, sample }) => ({
        type,
        description,
        sample: sampleBodySchema.parse(JSON.parse(sample)),
      })),
    }),
  );
};
