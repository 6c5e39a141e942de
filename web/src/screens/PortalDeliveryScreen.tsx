import { Link, useLocation, useParams } from "react-router";
import { useDelivery, useEndpoints } from "../api/portal";
import { QueryFailure } from "../components/QueryFailure";
import { formatDateTime } from "../format";
import { AttemptCard } from "../portal/AttemptCard";
import { DeliveryStatusBadge } from "../portal/DeliveryStatusBadge";
import { JsonBlock } from "../portal/JsonBlock";
import { RecoverForm } from "../portal/RecoverForm";
import { RetryButton } from "../portal/RetryButton";

/** Back to the log with the filters it was opened from (kept in the history entry's state). */
function logLink(state: unknown): string {
  const search = (state as { logSearch?: unknown } | null)?.logSearch;
  return typeof search === "string" && search.startsWith("?")
    ? `/portal/deliveries${search}`
    : "/portal/deliveries";
}

function When({ at }: { at: string | null }) {
  return at === null ? "—" : <time dateTime={at}>{formatDateTime(at)}</time>;
}

/** One delivery: its state, the body it sends, every attempt; retry it or recover its endpoint. */
export function PortalDeliveryScreen() {
  const deliveryId = useParams().deliveryId ?? "";
  const location = useLocation();
  const delivery = useDelivery(deliveryId);
  const endpoints = useEndpoints();
  const back = (
    <p>
      <Link to={logLink(location.state)}>Back to the deliveries</Link>
    </p>
  );
  if (delivery.data === undefined) {
    return delivery.isError ? (
      <>
        <title>Delivery · Developer Portal · Leadwire</title>
        <h1>Delivery</h1>
        <QueryFailure error={delivery.error} what="this delivery" />
        {back}
      </>
    ) : (
      <p role="status">Loading the delivery…</p>
    );
  }
  const d = delivery.data;
  const endpoint = endpoints.data?.find((e) => e.id === d.endpointId);
  return (
    <>
      <title>{`Delivery ${d.id} · Developer Portal · Leadwire`}</title>
      {back}
      <h1>
        Delivery of <code>{d.eventType}</code>
      </h1>
      {delivery.isError && <QueryFailure error={delivery.error} what="the latest state of this delivery" />}
      <dl className="key-values">
        <div>
          <dt>Status</dt>
          <dd>
            <DeliveryStatusBadge status={d.status} />
          </dd>
        </div>
        <div>
          <dt>Endpoint</dt>
          <dd className="wrap-anywhere">{endpoint?.url ?? d.endpointId}</dd>
        </div>
        <div>
          <dt>Delivery id</dt>
          <dd>
            <code>{d.id}</code>
          </dd>
        </div>
        <div>
          <dt>Event id</dt>
          <dd>
            <code>{d.eventId}</code>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <When at={d.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Next attempt</dt>
          <dd>
            <When at={d.nextAttemptAt} />
          </dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>
            <When at={d.completedAt} />
          </dd>
        </div>
      </dl>
      <section aria-labelledby="actions-heading" className="panel">
        <h2 id="actions-heading">Send again</h2>
        <RetryButton deliveryId={d.id} />
        <h3>Recover the endpoint</h3>
        <p className="hint">
          Replays every failed or missed delivery of this endpoint created since the time you choose.
        </p>
        <RecoverForm endpointId={d.endpointId} defaultSince={d.createdAt} />
      </section>
      <section aria-labelledby="payload-heading">
        <h2 id="payload-heading">Request body</h2>
        <p className="hint">Sent as compact JSON, the same bytes on every attempt; shown indented here.</p>
        <JsonBlock value={d.payload} />
      </section>
      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        {d.attempts.length === 0 ? (
          <p>No attempt yet{d.nextAttemptAt === null ? "." : ": the next one is due at the time above."}</p>
        ) : (
          <ol className="attempts">
            {d.attempts.map((attempt, index) => (
              <AttemptCard key={attempt.id} attempt={attempt} number={index + 1} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
