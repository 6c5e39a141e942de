import { useState } from "react";
import { useRecoverEndpoint, useUpdateEndpoint } from "../api/portal";
import type { WebhookEndpoint } from "../api/types";
import { FormError } from "../components/FormError";

/**
 * Turns the endpoint off or on. Turning it on answers with what it missed while off; the
 * person can replay those right here.
 */
export function EnableButton({ endpoint }: { endpoint: WebhookEndpoint }) {
  const update = useUpdateEndpoint(endpoint.id);
  const recover = useRecoverEndpoint(endpoint.id);
  const [missed, setMissed] = useState<{ since: string; events: number } | null>(null);
  const toggle = () => {
    setMissed(null);
    recover.reset();
    update.mutate(
      { enabled: !endpoint.enabled },
      {
        onSuccess: (saved) =>
          setMissed(saved.missed !== undefined && saved.missed.events > 0 ? saved.missed : null),
      },
    );
  };
  return (
    <div className="enable">
      <button type="button" className="button-secondary" disabled={update.isPending} onClick={toggle}>
        {endpoint.enabled ? "Disable endpoint" : "Enable endpoint"}
      </button>
      <FormError error={update.error} />
      <div role="status">
        {missed !== null && recover.data === undefined && (
          <p>
            While it was off, {missed.events} matching {missed.events === 1 ? "event was" : "events were"} not
            delivered.{" "}
            <button
              type="button"
              className="button-secondary"
              disabled={recover.isPending}
              onClick={() => recover.mutate(missed.since)}
            >
              Replay missed events
            </button>
          </p>
        )}
        {recover.data !== undefined && <p>{recover.data.recovered} deliveries queued again.</p>}
      </div>
      <FormError error={recover.error} />
    </div>
  );
}
