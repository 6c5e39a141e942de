import { Link } from "react-router";
import { COUNTED_DELIVERIES, useEndpointDeliveryCounts } from "../api/portal";

/**
 * The endpoint's latest deliveries, whenever they were made: how many succeeded, failed and wait
 * (pending ones included, which the hourly success rate beside it does not count), and the share
 * of finished ones that succeeded.
 */
export function EndpointDeliveryCounts({ endpointId }: { endpointId: string }) {
  const counts = useEndpointDeliveryCounts(endpointId);
  const logLink = (
    <Link
      to={{ pathname: "/portal/deliveries", search: `?${new URLSearchParams({ endpoint: endpointId })}` }}
    >
      Deliveries of this endpoint
    </Link>
  );
  if (counts.isPending) return <p className="hint">Counting recent deliveries…</p>;
  if (counts.isError) return <p className="hint">Recent deliveries could not be counted. {logLink}</p>;
  const { counted, succeeded, failed, pending } = counts.data;
  if (counted === 0) return <p className="hint">No deliveries yet. {logLink}</p>;
  const finished = succeeded + failed;
  const scope = counted < COUNTED_DELIVERIES ? "Deliveries so far" : `Latest ${counted} deliveries`;
  return (
    <p>
      {scope}: {succeeded} succeeded, {failed} failed, {pending} pending
      {finished > 0 && ` (${Math.round((succeeded / finished) * 100)}% of finished ones succeeded)`}.{" "}
      {logLink}
    </p>
  );
}
