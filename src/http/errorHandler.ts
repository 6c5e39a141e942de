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
      new DomainError("NOT_FOUND", `No route for ${request.method} ${request.url.split("?")[0]}.`),
    ),
  );
}
