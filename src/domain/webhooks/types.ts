/** One HTTP try of a delivery, as the API shows it. */
export interface AttemptView {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  succeeded: boolean;
  /** The headers the request carried; null for attempts made before they were stored. */
  requestHeaders: Record<string, string> | null;
}

/** What the HTTP layer may ask of the webhook dispatcher. */
export interface WebhookActions {
  /** Sends this delivery now (whatever its schedule), records the attempt and returns it. */
  deliverNow(deliveryId: string): Promise<AttemptView>;
}
