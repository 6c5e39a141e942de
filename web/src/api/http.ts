/** One field problem of the API's error body. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A failed `/v1` call, carrying the API's error body: `{ message, code, details }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly details: FieldIssue[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The session is missing or expired (as opposed to an admin-only operation, also a 403). */
export function isSignedOutError(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === "UNAUTHORIZED";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toApiError(status: number, body: unknown): ApiError {
  if (!isRecord(body)) return new ApiError(status, `The server answered ${status}.`, "UNKNOWN", []);
  const details = Array.isArray(body.details)
    ? body.details
        .filter(isRecord)
        .map((d) => ({ path: String(d.path ?? ""), message: String(d.message ?? "") }))
    : [];
  return new ApiError(
    status,
    typeof body.message === "string" ? body.message : `The server answered ${status}.`,
    typeof body.code === "string" ? body.code : "UNKNOWN",
    details,
  );
}

/**
 * Calls the public API with the session cookie. Browsers add `Origin` to same-origin POST, PATCH and
 * DELETE requests, which the server checks; the API key itself never passes through here after sign-in.
 */
export async function apiRequest<T>(
  path: string,
  options: { method?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      credentials: "same-origin",
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, "The server did not answer. Check the connection and try again.", "NETWORK", []);
  }
  const text = await response.text();
  const body = text === "" ? undefined : parseJson(text);
  if (!response.ok) throw toApiError(response.status, body);
  return body as T;
}
