import { Link } from "react-router";
import { useLatestEvent } from "../api/portal";
import { formatDateTime } from "../format";
import { JsonBlock } from "./JsonBlock";

/**
 * The newest stored event of a type (a real one, said so, next to the catalogue's sample), or
 * a way to get one.
 */
export function LatestEventSample({ type }: { type: string }) {
  const latest = useLatestEvent(type);
  if (latest.isPending) return <p className="hint">Looking for a stored {type} event…</p>;
  if (latest.isError) return <p className="hint">Could not read the event log: {latest.error.message}</p>;
  const { event, isLatest } = latest.data;
  if (event === null) {
    return (
      <p className="hint">
        No {type} event is stored yet. The sample above has its shape; to see one at your receiver, send a
        test event of this type from <Link to="/portal/endpoints">an endpoint</Link> (test events are not kept
        here).
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
