import { useId } from "react";
import { issuesAt } from "../components/FormError";
import { StepTemplateCells } from "./StepTemplateCells";

export interface StepRow {
  key: number;
  hours: string;
  channel: "text" | "email";
  /** The step's template (empty: the assistant writes the message); subject for email steps. */
  text: string;
  subject: string;
}

/**
 * The follow-up steps as an editable table: hours after the previous step and the channel, and
 * with `withTemplates` each step's template.
 */
export function FollowUpStepsEditor({
  steps,
  onChange,
  newKey,
  error,
  withTemplates = false,
}: {
  steps: StepRow[];
  onChange: (steps: StepRow[]) => void;
  newKey: () => number;
  error: Error | null;
  withTemplates?: boolean;
}) {
  const id = useId();
  const edit = (key: number, change: Partial<StepRow>) =>
    onChange(steps.map((step) => (step.key === key ? { ...step, ...change } : step)));
  const tableIssues = issuesAt(error, "followUpConfig");
  return (
    <fieldset className="steps">
      <legend>Follow-up steps</legend>
      {steps.length === 0 ? (
        <p className="hint">No follow-up steps: the lead only gets what you or the assistant send.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Hours after the previous step</th>
              <th scope="col">Channel</th>
              {withTemplates && <th scope="col">Template</th>}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {steps.map((step, index) => {
              const number = index + 1;
              return (
                <tr key={step.key}>
                  <th scope="row">{number}</th>
                  <td>
                    <label className="visually-hidden" htmlFor={`${id}-hours-${step.key}`}>
                      Step {number} hours
                    </label>
                    <input
                      id={`${id}-hours-${step.key}`}
                      type="number"
                      min="0.1"
                      step="any"
                      required
                      value={step.hours}
                      onChange={(event) => edit(step.key, { hours: event.target.value })}
                    />
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`${id}-channel-${step.key}`}>
                      Step {number} channel
                    </label>
                    <select
                      id={`${id}-channel-${step.key}`}
                      value={step.channel}
                      onChange={(event) =>
                        edit(step.key, { channel: event.target.value === "email" ? "email" : "text" })
                      }
                    >
                      <option value="text">Text (SMS)</option>
                      <option value="email">Email</option>
                    </select>
                  </td>
                  {withTemplates && (
                    <StepTemplateCells
                      step={step}
                      number={number}
                      error={error}
                      onChange={(change) => edit(step.key, change)}
                    />
                  )}
                  <td>
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => onChange(steps.filter((s) => s.key !== step.key))}
                    >
                      Remove step {number}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {tableIssues.length > 0 && <p className="field-error">{tableIssues.join("; ")}</p>}
      <button
        type="button"
        className="button-secondary"
        onClick={() =>
          onChange([...steps, { key: newKey(), hours: "24", channel: "text", text: "", subject: "" }])
        }
      >
        Add step
      </button>
    </fieldset>
  );
}
