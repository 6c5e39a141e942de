import { useId } from "react";
import { issuesAt } from "../components/FormError";
import type { StepRow } from "./FollowUpStepsEditor";

function Issues({ id, issues }: { id: string; issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {issues.join("; ")}
    </p>
  );
}

/** One step's template in the steps table: its text and, for an email step, its subject. */
export function StepTemplateCells({
  step,
  number,
  error,
  onChange,
}: {
  step: StepRow;
  number: number;
  error: Error | null;
  onChange: (change: Partial<StepRow>) => void;
}) {
  const id = useId();
  const path = `followUpTemplates.${number}`;
  const textIssues = issuesAt(error, `${path}.text`);
  const subjectIssues = issuesAt(error, `${path}.subject`);
  const stepIssues = issuesAt(error, path).filter(
    (issue) => !textIssues.includes(issue) && !subjectIssues.includes(issue),
  );
  return (
    <td className="step-template">
      {step.channel === "email" && (
        <>
          <label htmlFor={`${id}-subject`}>Step {number} subject</label>
          <input
            id={`${id}-subject`}
            name={`${path}.subject`}
            value={step.subject}
            aria-invalid={subjectIssues.length > 0 ? true : undefined}
            aria-describedby={subjectIssues.length > 0 ? `${id}-subject-error` : undefined}
            onChange={(event) => onChange({ subject: event.target.value })}
          />
          <Issues id={`${id}-subject-error`} issues={subjectIssues} />
        </>
      )}
      <label htmlFor={`${id}-text`}>Step {number} template</label>
      <textarea
        id={`${id}-text`}
        name={`${path}.text`}
        rows={2}
        value={step.text}
        placeholder="Empty: the assistant writes it"
        aria-invalid={textIssues.length + stepIssues.length > 0 ? true : undefined}
        aria-describedby={textIssues.length + stepIssues.length > 0 ? `${id}-text-error` : undefined}
        onChange={(event) => onChange({ text: event.target.value })}
      />
      <Issues id={`${id}-text-error`} issues={[...textIssues, ...stepIssues]} />
    </td>
  );
}
