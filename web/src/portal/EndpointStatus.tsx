import type { WebhookEndpoint } from "../api/types";
import { formatDateTime } from "../format";

const REASONS = {
  manual: "turned off by hand",
  gone: "the receiver answered 410 Gone",
  failing: "every delivery failed for 5 days",
} as const;

/** Enabled, or disabled with why and since when. */
export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (endpoint.enabled) return <span className="badge badge-good">Enabled</span>;
  return (
    <span>
      <span className="badge badge-warn">Disabled</span>{" "}
      {endpoint.disabledReason !== null && REASONS[endpoint.disabledReason]}
      {endpoint.disabledAt !== null && (
        <>
          {" "}
          since <time dateTime={endpoint.disabledAt}>{formatDateTime(endpoint.disabledAt)}</time>
        </>
      )}
    </span>
  );
}
