import { useId, useState } from "react";
import { useDeleteEndpoint } from "../api/portal";
import type { WebhookEndpoint } from "../api/types";
import { FormError } from "../components/FormError";
import { formatDateTime } from "../format";
import { ConfirmButton } from "./ConfirmButton";
import { EditEventsForm } from "./EditEventsForm";
import { EnableButton } from "./EnableButton";
import { EndpointDeliveryCounts } from "./EndpointDeliveryCounts";
import { EndpointStatus } from "./EndpointStatus";
import { EndpointSuccessRate } from "./EndpointSuccessRate";
import { describeEventFilter } from "./eventCatalogue";
import { RecoverForm } from "./RecoverForm";
import { RotateSecret } from "./RotateSecret";
import { TestEventForm } from "./TestEventForm";

const DAY_MS = 24 * 3_600_000;

/** One endpoint: what it receives, its state and health, and everything one can do to it. */
export function EndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const remove = useDeleteEndpoint(endpoint.id);
  const recoverSince = endpoint.disabledAt ?? new Date(Date.now() - DAY_MS).toISOString();
  return (
    <article aria-labelledby={`${id}-url`} className="panel endpoint">
      <h3 id={`${id}-url`} className="endpoint-url">
        {endpoint.url}
      </h3>
      {endpoint.description !== null && <p>{endpoint.description}</p>}
      <dl className="key-values">
        <div>
          <dt>State</dt>
          <dd>
            <EndpointStatus endpoint={endpoint} />
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{describeEventFilter(endpoint.events)}</dd>
        </div>
        <div>
          <dt>Secret</dt>
          <dd>
            <code>{endpoint.secretPrefix}</code>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <time dateTime={endpoint.createdAt}>{formatDateTime(endpoint.createdAt)}</time>
          </dd>
        </div>
      </dl>
      <EndpointDeliveryCounts endpointId={endpoint.id} />
      <EndpointSuccessRate endpointId={endpoint.id} />
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          aria-expanded={editing}
          aria-controls={`${id}-edit`}
          onClick={() => setEditing(!editing)}
        >
          Edit events
        </button>
        <EnableButton endpoint={endpoint} />
        <RotateSecret endpointId={endpoint.id} />
        <ConfirmButton
          label="Delete endpoint"
          confirmLabel="Delete for good"
          question="Delete the endpoint with all its deliveries?"
          disabled={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </div>
      <div id={`${id}-edit`} hidden={!editing}>
        {editing && <EditEventsForm endpoint={endpoint} onDone={() => setEditing(false)} />}
      </div>
      <FormError error={remove.error} />
      <TestEventForm endpointId={endpoint.id} />
      <details className="recover">
        <summary>Recover failed or missed deliveries</summary>
        <RecoverForm endpointId={endpoint.id} defaultSince={recoverSince} />
      </details>
    </article>
  );
}
