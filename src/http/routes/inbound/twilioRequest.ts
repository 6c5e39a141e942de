import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError } from "../../../domain/errors.js";
import { type TwilioParams, verifyTwilioSignature } from "../../../providers/sms/twilioSignature.js";
import type { RouteDeps } from "../../types.js";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** One form parameter's value (a repeated name: its first). */
export function twilioParam(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/** Form parameters as @fastify/formbody gives them: a repeated name becomes an array. */
const twilioParamsSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/**
 * Every form parameter of a Twilio request (the signature covers them all, so none is dropped).
 * Checked here rather than by the route's schema so that the signature is still checked first;
 * a body that is not form parameters counts as none, and the signature check refuses it.
 */
export function twilioParams(body: unknown): TwilioParams {
  const parsed = twilioParamsSchema.safeParse(body ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * Checks X-Twilio-Signature against PUBLIC_URL + the path Twilio called, before anything is
 * changed: a bad or missing signature is a 403.
 */
export function assertSigned(
  deps: RouteDeps,
  request: FastifyRequest,
  params: TwilioParams,
  tokens: readonly string[],
): void {
  if (tokens.length === 0)
    throw new DomainError(
      "NOT_FOUND",
      "Twilio is not configured: set TWILIO_AUTH_TOKEN, or a Twilio account in the org's settings.",
    );
  const header = request.headers["x-twilio-signature"];
  const signature = Array.isArray(header) ? header[0] : header;
  const url = `${deps.config.publicUrl}${request.url}`;
  if (!tokens.some((token) => verifyTwilioSignature(url, params, token, signature))) {
    throw new DomainError("FORBIDDEN", "Invalid X-Twilio-Signature.");
  }
}

export function twiml(reply: FastifyReply, status = 200): FastifyReply {
  return reply.status(status).header("content-type", "text/xml").send(EMPTY_TWIML);
}
