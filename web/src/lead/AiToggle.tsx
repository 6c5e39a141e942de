import { useUpdateLead } from "../api/leads";
import type { Lead } from "../api/types";
import { FormError } from "../components/FormError";

/** Turns the assistant on or off for this lead (`PATCH /v1/leads/{id}` with `isAiOn`). */
export function AiToggle({ lead }: { lead: Lead }) {
  const update = useUpdateLead(lead.id);
  return (
    <div className="ai-toggle">
      <button
        type="button"
        role="switch"
        aria-checked={lead.isAiOn}
        className="switch"
        disabled={update.isPending}
        onClick={() => update.mutate({ isAiOn: !lead.isAiOn })}
      >
        <span className="switch-label">AI replies</span>
        <span className="switch-state" aria-hidden="true">
          {lead.isAiOn ? "On" : "Off"}
        </span>
      </button>
      <FormError error={update.error} />
    </div>
  );
}
