import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/http";
import { type Settings, useUpdateSettings } from "../api/settings";
import { FormError } from "../components/FormError";
import { AssistantSection, KeywordsSection } from "./MessagingSections";
import { FollowUpWindowSection, QuietHoursSection } from "./ScheduleSections";
import { ComplianceSection, SendersSection, TwilioSection } from "./SendingSections";
import type { SectionProps } from "./sectionProps";
import { draftOf, patchOf, type SettingsDraft } from "./settingsDraft";

/**
 * The whole settings document as one form, saved with one PATCH: the API checks the merged
 * document at once and answers every problem with its dotted path, shown under its field.
 * Native constraint checks are off so the API's messages are the ones people see.
 */
export function SettingsForm({ saved }: { saved: Settings }) {
  const update = useUpdateSettings();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(saved));
  const [formIssue, setFormIssue] = useState<ApiError | null>(null);
  const [savedNotice, setSavedNotice] = useState("");
  const formRef = useRef<HTMLFormElement>(null);

  const set: SectionProps["set"] = (key, value) => {
    setSavedNotice("");
    setDraft((current) => ({ ...current, [key]: value }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSavedNotice("");
    const built = patchOf(draft, saved);
    if ("issue" in built) {
      update.reset();
      setFormIssue(
        new ApiError(400, `Invalid settings: check ${built.issue.path}.`, "VALIDATION_FAILED", [built.issue]),
      );
      return;
    }
    setFormIssue(null);
    update.mutate(built.patch, {
      onSuccess: (next) => {
        setDraft(draftOf(next));
        setSavedNotice("Settings saved.");
      },
    });
  };

  const error = formIssue ?? update.error;
  // A refused save moves focus to the first field the API named, wherever it is in the long form.
  useEffect(() => {
    if (error !== null) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  const props: SectionProps = { draft, set, error, saved };
  return (
    <form ref={formRef} onSubmit={submit} className="form settings-form" noValidate>
      <FollowUpWindowSection {...props} />
      <QuietHoursSection {...props} />
      <SendersSection {...props} />
      <TwilioSection {...props} />
      <ComplianceSection {...props} />
      <KeywordsSection {...props} />
      <AssistantSection {...props} />
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
        <p role="status" className="hint">
          {savedNotice}
        </p>
      </div>
    </form>
  );
}
