import { toIso } from "../../clock.js";

/** Who settled an `unknown` message and how: an API key's id, or "reconciler". */
export interface Resolution {
  decision: "sent" | "failed" | "resend";
  decidedBy: string;
  note?: string | undefined;
  decidedAt: Date;
}

/** How a resolution reads on the timeline entry it leaves. */
export function resolutionData(r: Resolution) {
  return {
    resolution: {
      decision: r.decision,
      decidedBy: r.decidedBy,
      decidedAt: toIso(r.decidedAt),
      ...(r.note === undefined ? {} : { note: r.note }),
    },
  };
}
