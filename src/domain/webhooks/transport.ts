/** One signed POST to a receiver. */
export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** What came back: a status (any), or a network error / timeout with no status. */
export interface WebhookResponse {
  statusCode: number | null;
  /** First 4 KiB of the response body, as text. */
  body: string | null;
  error: string | null;
  timedOut: boolean;
  retryAfter: string | undefined;
  durationMs: number;
  /**
   * Every header this request carried that we set (the signed ones from `WebhookRequest` plus the
   * transport's content type and user agent; not the connection-level ones the HTTP client adds),
   * also when it could not be sent.
   */
  requestHeaders: Record<string, string>;
}

/** The outside world for webhooks; the real one speaks HTTP (providers/webhooks). */
export interface WebhookTransport {
  post(request: WebhookRequest): Promise<WebhookResponse>;
  close(): Promise<void>;
}
