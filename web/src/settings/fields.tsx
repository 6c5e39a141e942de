import { type ReactNode, useId } from "react";
import { ApiError } from "../api/http";
import { issuesAt } from "../components/FormError";

/** Messages of the error's details at exactly `path` (not below it). */
export function issuesExactlyAt(error: Error | null, path: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.filter((issue) => issue.path === path).map((issue) => issue.message);
}

function describedBy(...ids: (string | false)[]): string | undefined {
  const list = ids.filter((id): id is string => id !== false);
  return list.length === 0 ? undefined : list.join(" ");
}

function FieldIssues({ id, issues }: { id: string; issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {issues.join("; ")}
    </p>
  );
}

interface CheckboxFieldProps {
  label: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error: Error | null;
  hint?: string;
}

/** A labelled checkbox whose API problems (`details` at `name`) sit right under it. */
export function CheckboxField({ label, name, checked, onChange, error, hint }: CheckboxFieldProps) {
  const id = useId();
  const issues = issuesAt(error, name);
  return (
    <div className="field">
      <div className="checkbox">
        <input
          id={id}
          name={name}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.currentTarget.checked)}
          aria-invalid={issues.length > 0 ? true : undefined}
          aria-describedby={describedBy(
            hint !== undefined && `${id}-hint`,
            issues.length > 0 && `${id}-error`,
          )}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldIssues id={`${id}-error`} issues={issues} />
    </div>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  name: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  error: Error | null;
  hint?: string;
}

export function SelectField<T extends string>({
  label,
  name,
  value,
  options,
  onChange,
  error,
  hint,
}: SelectFieldProps<T>) {
  const id = useId();
  const issues = issuesAt(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.currentTarget.value);
          if (chosen !== undefined) onChange(chosen.value);
        }}
        aria-invalid={issues.length > 0 ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && `${id}-hint`, issues.length > 0 && `${id}-error`)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldIssues id={`${id}-error`} issues={issues} />
    </div>
  );
}

interface TextAreaFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error: Error | null;
  hint?: string;
  rows?: number;
}

export function TextAreaField({ label, name, value, onChange, error, hint, rows = 3 }: TextAreaFieldProps) {
  const id = useId();
  const issues = issuesAt(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-invalid={issues.length > 0 ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && `${id}-hint`, issues.length > 0 && `${id}-error`)}
      />
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldIssues id={`${id}-error`} issues={issues} />
    </div>
  );
}

interface CheckboxGroupProps<T extends string | number> {
  legend: string;
  name: string;
  options: readonly { value: T; label: string }[];
  selected: readonly T[];
  onChange: (selected: T[]) => void;
  error: Error | null;
}

/** Several checkboxes for one list value (weekdays, channels), its API problems under the group. */
export function CheckboxGroup<T extends string | number>({
  legend,
  name,
  options,
  selected,
  onChange,
  error,
}: CheckboxGroupProps<T>) {
  const id = useId();
  const issues = issuesAt(error, name);
  const toggle = (value: T, on: boolean) =>
    onChange(options.map((o) => o.value).filter((v) => (v === value ? on : selected.includes(v))));
  return (
    <fieldset aria-describedby={issues.length > 0 ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="checkbox-row">
        {options.map((option) => (
          <div className="checkbox" key={option.value}>
            <input
              id={`${id}-${option.value}`}
              type="checkbox"
              name={name}
              value={option.value}
              checked={selected.includes(option.value)}
              onChange={(event) => toggle(option.value, event.currentTarget.checked)}
            />
            <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
          </div>
        ))}
      </div>
      <FieldIssues id={`${id}-error`} issues={issues} />
    </fieldset>
  );
}

/** A titled part of the settings form. */
export function SettingsSection({
  title,
  children,
  intro,
}: {
  title: string;
  children: ReactNode;
  intro?: string;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="panel settings-section">
      <h2 id={id}>{title}</h2>
      {intro !== undefined && <p className="hint">{intro}</p>}
      <div className="form">{children}</div>
    </section>
  );
}
