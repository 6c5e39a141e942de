import type { FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { DomainContext } from "../../../domain/context.js";
import { DomainError } from "../../../domain/errors.js";
import {
  assertInboundToken,
  type EmailResult,
  receiveEmail,
  receiveEmailReport,
} from "../../../domain/messages/receiveEmail.js";
import {
  parseBounceReport,
  parseFieldGroups,
  parseInboundEmail,
} from "../../../providers/email/parseInboundEmail.js";
import { errorResponses } from "../../schemas.js";
import type { RegisterRoute } from "../../types.js";

/** Replies carry attachments; 10 MiB keeps ordinary mail while bounding memory per request. */
const RAW_MIME_LIMIT_BYTES = 10 * 1024 * 1024;
const RAW_MIME_TYPES = ["message/rfc822", "text/plain"];

const params = z.object({ token: z.string().min(1).max(200) });
const handledSchema = z.object({ handled: z.boolean() });

const jsonEmail = z.strictObject({
  from: z.email({ message: "must be a valid email address" }),
  to: z.string().max(2000).optional(),
  subject: z.string().max(998).optional(),
  text: z.string().max(1_000_000),
});

const jsonReport = z.strictObject({
  type: z.enum(["bounce", "complaint"]),
  recipient: z.email({ message: "must be a valid email address" }),
});

/** The same 400 as schema-validated routes: every offending field named. */
function parseJson<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? undefined);
  if (result.success) return result.data;
  const details = result.error.issues.flatMap((issue) => {
    const base = issue.path.join(".");
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({
        path: base === "" ? key : `${base}.${key}`,
        message: "unknown field",
      }));
    return [{ path: base === "" ? "body" : base, message: issue.message }];
  });
  const fields = [...new Set(details.map((d) => d.path))].join(", ");
  throw new DomainError("VALIDATION_FAILED", `Invalid request: check ${fields}.`, details);
}

/** The Message-ID header, read from the header block only (the body may be megabytes). */
function messageIdOf(raw: Buffer): string | undefined {
  const text = raw.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const headers = parseFieldGroups(end === -1 ? text : text.slice(0, end))[0];
  const id = headers?.get("message-id")?.trim();
  return id === undefined || id === "" ? undefined : id;
}

const handled = (result: EmailResult | { handled: boolean }) => ({ handled: result.handled });

async function receiveRaw(ctx: DomainContext, token: string, raw: Buffer) {
  // Bounces and complaints often arrive at the reply address: a report is never a reply.
  const report = await parseBounceReport(raw);
  if (report !== undefined) return handled(await receiveEmailReport(ctx, token, report));
  const email = await parseInboundEmail(raw);
  return handled(
    await receiveEmail(ctx, token, {
      from: email.from,
      to: email.to.join(", "),
      subject: email.subject,
      text: email.text,
      messageId: messageIdOf(raw),
    }),
  );
}

async function receiveJson(ctx: DomainContext, token: string, body: unknown) {
  const email = parseJson(jsonEmail, body);
  return handled(
    await receiveEmail(ctx, token, {
      from: email.from,
      to: email.to ?? "",
      subject: email.subject ?? "",
      text: email.text,
    }),
  );
}

async function receiveReport(ctx: DomainContext, token: string, body: unknown) {
  if (Buffer.isBuffer(body)) {
    const report = await parseBounceReport(body);
    if (report === undefined) {
      await assertInboundToken(ctx, token);
      return { handled: false };
    }
    return handled(await receiveEmailReport(ctx, token, report));
  }
  const report = parseJson(jsonReport, body);
  return handled(await receiveEmailReport(ctx, token, { kind: report.type, recipient: report.recipient }));
}

const bodyOf = (request: FastifyRequest): unknown => request.body;

/**
 * Inbound email from the org's mail provider or MTA (raw MIME, or JSON for simple relays), and
 * delivery reports. Not under /v1: the per-org inbound token in the path is the credential.
 */
export const inboundEmailRoute: RegisterRoute = (app, { ctx }) => {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      RAW_MIME_TYPES,
      { parseAs: "buffer", bodyLimit: RAW_MIME_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    const schema = { hide: true, params, response: { 200: handledSchema, ...errorResponses } };
    scope.post("/inbound/email/:token", { schema }, async (request) => {
      const body = bodyOf(request);
      const { token } = request.params;
      return Buffer.isBuffer(body) ? receiveRaw(ctx, token, body) : receiveJson(ctx, token, body);
    });
    scope.post("/inbound/email/:token/events", { schema }, async (request) =>
      receiveReport(ctx, request.params.token, bodyOf(request)),
    );
  });
};
