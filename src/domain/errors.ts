/** The closed list of failures the API reports; HTTP status mapping lives in http/errorHandler.ts. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "INVALID_JSON"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "DUPLICATE_PHONE"
  | "LEAD_LIMIT_REACHED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "INTERNAL";

export interface FieldIssue {
  path: string;
  message: string;
}

/** An expected failure: the caller did something we refuse, with the reason as data. */
export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldIssue[] = [],
    /** Extra keys for the error body, e.g. the existing lead's `id` on a duplicate phone. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function invalid(path: string, message: string): DomainError {
  return new DomainError("VALIDATION_FAILED", `Invalid ${path}: ${message}`, [{ path, message }]);
}

export function notFound(what: string): DomainError {
  return new DomainError("NOT_FOUND", `${what} not found.`);
}
