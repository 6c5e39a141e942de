import { type FormEvent, useId, useState } from "react";
import { useUpdateLead } from "../api/leads";
import type { Lead } from "../api/types";
import { FormError, issuesAt } from "../components/FormError";
import { describeFollowUpStep, formatDateTime } from "../format";

/** The steps the lead's follow-up config has, then stopped (-1) and long-term nurture (-2). */
function stepChoices(lead: Lead): number[] {
  const steps = Object.keys(lead.followUpConfig)
    .map(Number)
    .filter((step) => Number.isInteger(step) && step >= 1)
    .sort((a, b) => a - b);
  return [...steps, -1, -2];
}

/**
 * Where the lead is in its follow-ups and when the next one is due; changing the step
 * (`PATCH /v1/leads/{id}` with `followUpStep`) restarts the timer at now + that step's hours.
 */
export function FollowUpState({ lead }: { lead: Lead }) {
  const update = useUpdateLead(lead.id);
  const [changedTo, setChangedTo] = useState<number | null>(null);
  const id = useId();
  const choices = stepChoices(lead);
  const stepCount = choices.length - 2;
  const issues = issuesAt(update.error, "followUpStep");

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const step = Number(new FormData(event.currentTarget).get("followUpStep"));
    setChangedTo(null);
    update.mutate({ followUpStep: step }, { onSuccess: () => setChangedTo(step) });
  };

  return (
    <>
      <dl className="key-values">
        <div>
          <dt>Step</dt>
          <dd>
            {describeFollowUpStep(lead.followUpStep)}
            {lead.followUpStep >= 1 && stepCount > 0 ? ` of ${stepCount}` : ""}
          </dd>
        </div>
        <div>
          <dt>Next follow-up</dt>
          <dd>
            {lead.nextFollowUpAt === null ? (
              "Nothing scheduled"
            ) : (
              <time dateTime={lead.nextFollowUpAt}>{formatDateTime(lead.nextFollowUpAt)}</time>
            )}
          </dd>
        </div>
      </dl>
      {/* Remounted when the step changes, so the choice shows the lead's step. */}
      <form key={lead.followUpStep} onSubmit={submit} className="form">
        <div className="field">
          <label htmlFor={`${id}-step`}>Follow-up step</label>
          <select
            id={`${id}-step`}
            name="followUpStep"
            defaultValue={String(lead.followUpStep)}
            aria-invalid={issues.length > 0 ? true : undefined}
            aria-describedby={issues.length > 0 ? `${id}-step-error` : `${id}-step-hint`}
          >
            {choices.map((step) => (
              <option key={step} value={step}>
                {describeFollowUpStep(step)}
              </option>
            ))}
          </select>
          {issues.length > 0 ? (
            <p id={`${id}-step-error`} className="field-error">
              {issues.join("; ")}
            </p>
          ) : (
            <p id={`${id}-step-hint`} className="hint">
              A step starts its timer again from now.
            </p>
          )}
        </div>
        <FormError error={update.error} />
        <button type="submit" disabled={update.isPending}>
          Change step
        </button>
      </form>
      <p role="status" className="hint">
        {changedTo === null ? "" : `Follow-up set to ${describeFollowUpStep(changedTo).toLowerCase()}.`}
      </p>
    </>
  );
}
