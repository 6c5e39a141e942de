import { type FormEvent, useRef, useState } from "react";
import { useUpdateProfile } from "../api/profiles";
import type { ProfileDetail } from "../api/types";
import { FormError, issuesAt } from "../components/FormError";
import { TextField } from "../components/TextField";
import { TextAreaField } from "../settings/fields";
import { FollowUpStepsEditor, type StepRow } from "./FollowUpStepsEditor";
import { CheckboxField } from "./fields";
import { changesOf, draftOf, type ProfileDraft } from "./profileDraft";
import { TemplateFields } from "./TemplateFields";

/** Edits a stored profile and saves it whole with `PATCH /v1/profiles/{id}`. */
export function EditProfileForm({ profile }: { profile: ProfileDetail }) {
  const update = useUpdateProfile(profile.id);
  const [draft, setDraft] = useState<ProfileDraft>(() => draftOf(profile));
  const [saved, setSaved] = useState(false);
  const lastKey = useRef(draft.steps.length);
  const newKey = () => {
    lastKey.current += 1;
    return lastKey.current;
  };
  const edit = (change: Partial<ProfileDraft>) => {
    setSaved(false);
    setDraft((current) => ({ ...current, ...change }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    update.mutate(changesOf(draft), {
      onSuccess: (stored) => {
        const next = draftOf(stored);
        lastKey.current = next.steps.length;
        setDraft(next);
        setSaved(true);
      },
    });
  };

  const error = update.error;
  const channelIssues = issuesAt(error, "smsEnabled");
  return (
    <form onSubmit={submit} className="form" noValidate>
      <TextField
        label="Name"
        name="name"
        required
        autoComplete="off"
        value={draft.name}
        onChange={(event) => edit({ name: event.target.value })}
        error={error}
      />
      <TextAreaField
        label="Description"
        name="description"
        value={draft.description}
        onChange={(description) => edit({ description })}
        error={error}
      />
      <TextAreaField
        label="Instructions for the assistant"
        name="instructions"
        value={draft.instructions}
        onChange={(instructions) => edit({ instructions })}
        error={error}
      />
      <TextField
        label="Booking URL"
        name="bookingUrl"
        inputMode="url"
        autoComplete="off"
        value={draft.bookingUrl}
        onChange={(event) => edit({ bookingUrl: event.target.value })}
        error={error}
      />
      <fieldset>
        <legend>Channels</legend>
        <CheckboxField
          label="SMS"
          name="smsEnabled"
          checked={draft.smsEnabled}
          onChange={(smsEnabled) => edit({ smsEnabled })}
        />
        <CheckboxField
          label="Email"
          name="emailEnabled"
          checked={draft.emailEnabled}
          onChange={(emailEnabled) => edit({ emailEnabled })}
        />
        {channelIssues.length > 0 && <p className="field-error">{channelIssues.join("; ")}</p>}
      </fieldset>
      <CheckboxField
        label="Initial outreach: message new leads right away"
        name="initialOutreach"
        checked={draft.initialOutreach}
        onChange={(initialOutreach) => edit({ initialOutreach })}
      />
      <TemplateFields draft={draft} edit={edit} error={error} />
      <FollowUpStepsEditor
        steps={draft.steps}
        onChange={(steps: StepRow[]) => edit({ steps })}
        newKey={newKey}
        error={error}
        withTemplates
      />
      <TextField
        label="Longest SMS (characters)"
        name="maxSmsLength"
        type="number"
        min={40}
        max={1600}
        value={draft.maxSmsLength}
        onChange={(event) => edit({ maxSmsLength: event.target.value })}
        error={error}
      />
      <TextField
        label="Keys to extract into additionalInfo"
        name="extract"
        autoComplete="off"
        hint="Comma-separated, e.g. budget, roofType"
        value={draft.extract}
        onChange={(event) => edit({ extract: event.target.value })}
        error={error}
      />
      <FormError error={error} />
      <button type="submit" disabled={update.isPending}>
        Save profile
      </button>
      <p role="status" className="hint">
        {saved ? "Profile saved." : ""}
      </p>
    </form>
  );
}
