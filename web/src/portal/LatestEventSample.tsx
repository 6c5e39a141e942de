import { Link } from "react-router";
import { useLatestEvent } from "../api/portal";
import { formatDateTime } from "../format";
import { JsonBlock } from "./JsonBlock";

/**
 * A sample payload of a type: the API has no sample endpoint, so this is the newest stored event
 * of the type (a real one, said so), or a way to get one.
 */
export function LatestEventSample({ type }: { type: string }) {
  const latest = useLatestEvent(type);
  if (latest.isPending) return <p className="hint">Looking for a stored {type} event…</p>;
  if (latest.isError) return <p className="hint">Could not read the event log: {latest.error.message}</p>;
  const { event, isLatest } = latest.data;
  if (event === null) {
    return (
      <p className="hint">
        No {type} event is stored yet. Send a test event of this type from{" "}
        <Link to="/portal/endpoints">an endpoint</Link> to see its payload at your receiver.
      </p>
    );
  }
  return (
    <>
      <p className="sample-label">
        Payload of {isLatest ? "the most recent" : "a recent"} stored {type} event (a real event, not a
        generated sample), stored <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>:
      </p>
      <JsonBlock value={event.payload} />
    </>
  );
}
