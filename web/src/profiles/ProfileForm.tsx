import { type FormEvent, useId, useRef, useState } from "react";
import { useCreateProfile } from "../api/profiles";
import type { FollowUpConfig, NewProfile } from "../api/types";
import { FormError, issuesAt } from "../components/FormError";
import { TextField } from "../components/TextField";
import { FollowUpStepsEditor, type StepRow } from "./FollowUpStepsEditor";

function toFollowUpConfig(steps: StepRow[]): FollowUpConfig {
  return Object.fromEntries(
    steps.map((step, index) => [String(index + 1), { hours: Number(step.hours), channel: step.channel }]),
  );
}

function TextArea({ label, name, error }: { label: string; name: string; error: Error | null }) {
  const id = useId();
  const issues = issuesAt(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={3}
        aria-invalid={issues.length > 0 ? true : undefined}
        aria-describedby={issues.length > 0 ? `${id}-error` : undefined}
      />
      {issues.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {issues.join("; ")}
        </p>
      )}
    </div>
  );
}

function Checkbox({
  label,
  name,
  defaultChecked,
}: {
  label: string;
  name: string;
  defaultChecked?: boolean;
}) {
  const id = useId();
  return (
    <div className="checkbox">
      <input id={id} name={name} type="checkbox" defaultChecked={defaultChecked} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** Posts a new profile to `/v1/profiles`. */
export function ProfileForm() {
  const createProfile = useCreateProfile();
  const [steps, setSteps] = useState<StepRow[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const lastKey = useRef(0);
  const newKey = () => {
    lastKey.current += 1;
    return lastKey.current;
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const profile: NewProfile = {
      name: text("name"),
      ...(text("description") === "" ? {} : { description: text("description") }),
      ...(text("instructions") === "" ? {} : { instructions: text("instructions") }),
      smsEnabled: data.get("smsEnabled") === "on",
      emailEnabled: data.get("emailEnabled") === "on",
      initialOutreach: data.get("initialOutreach") === "on",
      followUpConfig: toFollowUpConfig(steps),
    };
    setCreated(null);
    createProfile.mutate(profile, {
      onSuccess: (saved) => {
        form.reset();
        setSteps([]);
        setCreated(saved.name);
      },
    });
  };

  const error = createProfile.error;
  return (
    <form onSubmit={submit} className="form">
      <TextField label="Name" name="name" required autoComplete="off" error={error} />
      <TextArea label="Description (optional)" name="description" error={error} />
      <TextArea label="Instructions for the assistant (optional)" name="instructions" error={error} />
      <fieldset>
        <legend>Channels</legend>
        <Checkbox label="SMS" name="smsEnabled" defaultChecked />
        <Checkbox label="Email" name="emailEnabled" />
        {issuesAt(error, "smsEnabled").length > 0 && (
          <p className="field-error">{issuesAt(error, "smsEnabled").join("; ")}</p>
        )}
      </fieldset>
      <Checkbox label="Initial outreach: message new leads right away" name="initialOutreach" />
      <FollowUpStepsEditor steps={steps} onChange={setSteps} newKey={newKey} error={error} />
      <FormError error={error} />
      <button type="submit" disabled={createProfile.isPending}>
        Create profile
      </button>
      <p role="status" className="hint">
        {created === null ? "" : `Profile “${created}” created.`}
      </p>
    </form>
  );
}
