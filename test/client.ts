import type { OutgoingHttpHeaders } from "node:http";
import type { ZodApp } from "../src/http/types.js";

/**
 * A typed client over `app.http.inject()`. The type argument says what the route answers, from
 * the type its file exports next to its schema (`createLead.ts` → `CreateLeadResponse`), or
 * `ErrorBody` (src/http/errorHandler.ts) when the test expects a refusal:
 *
 *   const res = await t.post<CreateLeadResponse>("/v1/leads/create", lead, { key });
 *   expect(res.status).toBe(200);
 *   res.body.id; // string
 *
 * The body is the parsed JSON as the server sent it (Fastify serialised it through the route's
 * response schema), so a wrong type argument is the test's mistake, not the server's; the
 * assertions on `status` come first for that reason.
 */

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

export interface RequestOptions {
  /** The `x-api-key` to send: the client's key by default, `null` for none. */
  key?: string | null;
  headers?: Record<string, string>;
}

export interface InjectOptions extends RequestOptions {
  body?: unknown;
}

export interface TestResponse<TBody = unknown> {
  status: number;
  /** The JSON body; `undefined` when the response is empty or not JSON (then read `text`). */
  body: TBody;
  text: string;
  headers: OutgoingHttpHeaders;
}

export interface TestClient {
  request<TRes = unknown>(method: string, url: string, options?: InjectOptions): Promise<TestResponse<TRes>>;
  get<TRes = unknown>(url: string, options?: RequestOptions): Promise<TestResponse<TRes>>;
  delete<TRes = unknown>(url: string, options?: RequestOptions): Promise<TestResponse<TRes>>;
  post<TRes = unknown>(url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<TRes>>;
  put<TRes = unknown>(url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<TRes>>;
  patch<TRes = unknown>(url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<TRes>>;
  /** The same client sending another key (`null`: none) unless a call names one. */
  withKey(key: string | null): TestClient;
}

function isHttpMethod(method: string): method is HttpMethod {
  return ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(method);
}

/** A client whose calls go through `http.inject()` with `defaultKey` unless they name another. */
export function createTestClient(http: ZodApp, defaultKey: string | null): TestClient {
  async function request<TRes>(method: string, url: string, options: InjectOptions = {}) {
    if (!isHttpMethod(method)) throw new Error(`not an HTTP method the API uses: ${method}`);
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? defaultKey : options.key;
    if (key !== null) headers["x-api-key"] = key;
    const response = await http.inject({
      method,
      url,
      headers,
      // Anything but a string or a Buffer is sent as JSON by inject(), whatever its type.
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
    let body: unknown;
    try {
      body = response.body === "" ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    // The one place a body gets its type: the caller names the route's response type.
    return {
      status: response.statusCode,
      body: body as TRes,
      text: response.body,
      headers: response.headers,
    };
  }
  const withBody =
    (method: HttpMethod) =>
    <TRes>(url: string, body?: unknown, options: RequestOptions = {}) =>
      request<TRes>(method, url, { ...options, body });
  return {
    request,
    get: <TRes>(url: string, options?: RequestOptions) => request<TRes>("GET", url, options),
    delete: <TRes>(url: string, options?: RequestOptions) => request<TRes>("DELETE", url, options),
    post: withBody("POST"),
    put: withBody("PUT"),
    patch: withBody("PATCH"),
    withKey: (key) => createTestClient(http, key),
  };
}
