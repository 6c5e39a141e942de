import { z } from "zod";

const envelopeSchema = z.looseObject({
  event: z.string(),
  data: z.record(z.string(), z.unknown()),
  timestamp: z.string(),
});

/**
 * A webhook body (sent, received or stored), checked as far as tests read it: an envelope whose
 * `data` is an object. Tests may change the copy, e.g. to feed a schema a broken body.
 */
export function parseEnvelope(text: string): z.output<typeof envelopeSchema> {
  return envelopeSchema.parse(JSON.parse(text));
}
