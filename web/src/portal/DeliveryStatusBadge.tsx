import type { DeliveryStatus } from "../api/types";

const TONES: Record<DeliveryStatus, string> = { succeeded: "good", failed: "hot", pending: "info" };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`badge badge-${TONES[status]}`}>{status}</span>;
}
