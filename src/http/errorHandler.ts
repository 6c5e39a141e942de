import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { DomainError, type ErrorCode, type FieldIssue } from "../domain/errors.js";

/** The one place where failures become HTTP: status per code, one error body. */
const statusByCode: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE_PHONE: 409,
  LEAD_LIMIT_REACHED: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export interface ErrorBody {
  message: string;
  code: ErrorCode;
  details: FieldIssue[];
  [extra: string]: unknown;
}

function sendError(reply: FastifyReply, error: DomainError): FastifyReply {
  const body: ErrorBody = {
    message: error.message,
    code: error.code,
    details: error.details,
    ...error.extra,
  };
  return reply.status(statusByCode[error.code]).send(body);
}

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

function issuePaths(issue: ValidationIssue, context: string | undefined): FieldIssue[] {
  const base = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
  const where = (path: string) => (context === "body" || path !== "" ? path : (context ?? ""));
  const keys = issue.params.keys;
  if (Array.isArray(keys)) {
    return keys.map((key) => ({
      path: base === "" ? String(key) : `${base}.${String(key)}`,
      message: "unknown field",
    }));
  }
  return [{ path: where(base), message: issue.message ?? "is invalid" }];
}

export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.flatMap((issue) => issuePaths(issue, error.validationContext));
    const fields = [...new Set(details.map((d) => d.path))].join(", ");
    return new DomainError("VALIDATION_FAILED", `Invalid request: check ${fields}.`, details);
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new DomainError("PAYLOAD_TOO_LARGE", "Request body is larger than 1 MiB.");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send JSON with Content-Type: application/json.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new DomainError("INVALID_JSON", "Request body is empty; send a JSON object.");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new DomainError("INVALID_JSON", "Request body is not valid JSON.");
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new DomainError("INVALID_JSON", "Request body is not valid JSON.");
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new DomainError(
      status === 404 ? "NOT_FOUND" : "VALIDATION_FAILED",
      fastifyError.message ?? "Bad request.",
    );
  }
  return undefined;
}

/**
 * Errors Fastify raises while routing, before any handler or hook: a path that is not valid
 * percent-encoding ("%FF%FE", "%") or a path parameter longer than the router accepts. Passed as
 * the server's `frameworkErrors`, so they leave in the error shape too, without echoing the URL.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    void sendError(
      reply,
      new DomainError("VALIDATION_FAILED", "A path parameter is too long.", [
        { path: "url", message: "a path parameter is longer than the server accepts" },
      ]),
    );
    return;
  }
  void sendError(
    reply,
    new DomainError("VALIDATION_FAILED", "The URL is not valid: check its percent-encoding.", [
      { path: "url", message: "is not valid percent-encoding" },
    ]),
  );
}

/** The path, cut short: an error message should name the route, not echo a hostile URL back. */
function shortPath(url: string): string {
  const path = url.split("?")[0] ?? "";
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toDomainError(error);
    if (known !== undefined) return sendError(reply, known);
    request.log.error({ err: error }, "unhandled error");
    return sendError(reply, new DomainError("INTERNAL", "Internal server error."));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new DomainError("NOT_FOUND", `No route for ${request.method} ${shortPath(request.url)}.`),
    ),
  );
}
