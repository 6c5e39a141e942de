import { useRetryDelivery } from "../api/portal";
import { FormError } from "../components/FormError";

/** Queues the delivery to be sent again now; the page follows it until the attempt is recorded. */
export function RetryButton({ deliveryId }: { deliveryId: string }) {
  const retry = useRetryDelivery(deliveryId);
  return (
    <div className="retry">
      <button type="button" disabled={retry.isPending} onClick={() => retry.mutate()}>
        Retry
      </button>
      <p role="status" className="hint">
        {retry.isSuccess &&
          "Queued: the dispatcher sends it now; this page shows the attempt when it is recorded."}
      </p>
      <FormError error={retry.error} />
    </div>
  );
}
