import { issuesAt } from "../components/FormError";
import { TextField } from "../components/TextField";
import { TextAreaField } from "../settings/fields";
import type { ProfileDraft } from "./profileDraft";

type Edit = (change: Partial<ProfileDraft>) => void;

/** The first message and the nurture template, each with a subject for email. */
export function TemplateFields({
  draft,
  edit,
  error,
}: {
  draft: ProfileDraft;
  edit: Edit;
  error: Error | null;
}) {
  const nurtureIssues = issuesAt(error, "nurtureTemplate").length > 0;
  return (
    <>
      <fieldset>
        <legend>Initial message</legend>
        <TextField
          label="Initial subject (email)"
          name="initialSubject"
          autoComplete="off"
          value={draft.initialSubject}
          onChange={(event) => edit({ initialSubject: event.target.value })}
          error={error}
        />
        <TextAreaField
          label="Initial message (empty: the assistant writes it)"
          name="initialMessage"
          value={draft.initialMessage}
          onChange={(initialMessage) => edit({ initialMessage })}
          error={error}
        />
      </fieldset>
      <fieldset>
        <legend>Nurture template</legend>
        <TextField
          label="Nurture subject (email)"
          name="nurtureTemplate.subject"
          autoComplete="off"
          value={draft.nurtureSubject}
          onChange={(event) => edit({ nurtureSubject: event.target.value })}
          error={error}
        />
        <TextAreaField
          label="Nurture text (empty: no nurture template)"
          name="nurtureTemplate.text"
          value={draft.nurtureText}
          onChange={(nurtureText) => edit({ nurtureText })}
          error={error}
        />
        {nurtureIssues && issuesAt(error, "nurtureTemplate.text").length === 0 && (
          <p className="field-error">{issuesAt(error, "nurtureTemplate").join("; ")}</p>
        )}
      </fieldset>
    </>
  );
}
