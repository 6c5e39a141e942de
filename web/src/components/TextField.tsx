import { type ComponentProps, useId } from "react";
import { issuesAt } from "./FormError";

type InputProps = Omit<ComponentProps<"input">, "id" | "name">;

/** A labelled input whose API problems (`details` at `name`) sit right under it. */
export function TextField({
  label,
  name,
  error,
  hint,
  ...input
}: InputProps & { label: string; name: string; error: Error | null; hint?: string }) {
  const id = useId();
  const issues = issuesAt(error, name);
  const describedBy = [hint === undefined ? "" : `${id}-hint`, issues.length > 0 ? `${id}-error` : ""]
    .filter((s) => s !== "")
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={issues.length > 0 ? true : undefined}
        aria-describedby={describedBy === "" ? undefined : describedBy}
        {...input}
      />
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {issues.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {issues.join("; ")}
        </p>
      )}
    </div>
  );
}
