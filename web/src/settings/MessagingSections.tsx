import { REDACTED, type Settings } from "../api/settings";
import { TextField } from "../components/TextField";
import { CheckboxField, SelectField, SettingsSection, TextAreaField } from "./fields";
import type { SectionProps } from "./sectionProps";

const PROVIDERS: readonly { value: Settings["assistant"]["provider"]; label: string }[] = [
  { value: "server", label: "The server's choice" },
  { value: "rules", label: "Rules (offline, no model)" },
  { value: "llm", label: "A language model" },
];

export function KeywordsSection({ draft, set, error }: SectionProps) {
  return (
    <SettingsSection
      title="Keywords and replies"
      intro="STOP, UNSUBSCRIBE and the other standard words always opt out; add your own here."
    >
      <TextField
        label="Extra unsubscribe keywords"
        name="unsubscribeKeywords"
        autoComplete="off"
        value={draft.unsubscribeKeywords}
        onChange={(event) => set("unsubscribeKeywords", event.currentTarget.value)}
        error={error}
        hint="Single words, separated by commas or spaces."
      />
      <TextAreaField
        label="Help reply"
        name="helpReply"
        value={draft.helpReply}
        onChange={(value) => set("helpReply", value)}
        error={error}
        hint="Sent when a lead texts HELP or INFO."
      />
      <CheckboxField
        label="An opt-out by SMS or email opts out of both"
        name="linkedOptOut"
        checked={draft.linkedOptOut}
        onChange={(on) => set("linkedOptOut", on)}
        error={error}
      />
      <TextField
        label="Response delay (seconds)"
        name="responseDelaySeconds"
        type="number"
        min={0}
        max={3600}
        value={draft.responseDelaySeconds}
        onChange={(event) => set("responseDelaySeconds", event.currentTarget.value)}
        error={error}
        hint="How long the assistant waits before it answers a reply."
      />
      <TextField
        label="Notification emails"
        name="notificationEmails"
        autoComplete="off"
        value={draft.notificationEmails}
        onChange={(event) => set("notificationEmails", event.currentTarget.value)}
        error={error}
        hint="Who hears about matched notification rules; separate addresses with commas."
      />
    </SettingsSection>
  );
}

export function AssistantSection({ draft, set, error, saved }: SectionProps) {
  const keySet = saved.assistant.llm?.apiKey === REDACTED;
  return (
    <SettingsSection title="Assistant">
      <TextField
        label="Assistant name"
        name="assistantName"
        autoComplete="off"
        value={draft.assistantName}
        onChange={(event) => set("assistantName", event.currentTarget.value)}
        error={error}
      />
      <SelectField
        label="Who writes and reads messages"
        name="assistant.provider"
        value={draft.assistantProvider}
        options={PROVIDERS}
        onChange={(value) => set("assistantProvider", value)}
        error={error}
      />
      <TextField
        label="Opt-out line"
        name="assistant.optOutLine"
        autoComplete="off"
        value={draft.optOutLine}
        onChange={(event) => set("optOutLine", event.currentTarget.value)}
        error={error}
        hint="Added to the first SMS to a lead; empty for none."
      />
      <CheckboxField
        label="Say it is an assistant, never a person"
        name="assistant.discloseAi"
        checked={draft.discloseAi}
        onChange={(on) => set("discloseAi", on)}
        error={error}
      />
      <TextField
        label="Allowed link domains"
        name="assistant.allowedDomains"
        autoComplete="off"
        value={draft.allowedDomains}
        onChange={(event) => set("allowedDomains", event.currentTarget.value)}
        error={error}
        hint="Links a message may carry besides the booking and unsubscribe links, e.g. example.com."
      />
      <CheckboxField
        label="Use this organisation's own model server"
        name="assistant.llm"
        checked={draft.llmOn}
        onChange={(on) => set("llmOn", on)}
        error={null}
      />
      {draft.llmOn && (
        <>
          <div className="field-row">
            <TextField
              label="Model server URL"
              name="assistant.llm.baseUrl"
              type="url"
              autoComplete="off"
              value={draft.llmBaseUrl}
              onChange={(event) => set("llmBaseUrl", event.currentTarget.value)}
              error={error}
              hint="An OpenAI-compatible server, e.g. https://api.openai.com/v1."
            />
            <TextField
              label="Model"
              name="assistant.llm.model"
              autoComplete="off"
              value={draft.llmModel}
              onChange={(event) => set("llmModel", event.currentTarget.value)}
              error={error}
            />
          </div>
          <TextField
            label="Model API key"
            name="assistant.llm.apiKey"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={draft.llmApiKey}
            onChange={(event) => set("llmApiKey", event.currentTarget.value)}
            error={error}
            hint={
              keySet
                ? "A key is set and is never shown. Leave this empty to keep it, or type a new one to replace it."
                : "No key is set."
            }
          />
          {keySet && (
            <CheckboxField
              label="Remove the stored key"
              name="assistant.llm.removeKey"
              checked={draft.llmRemoveKey}
              onChange={(on) => set("llmRemoveKey", on)}
              error={null}
            />
          )}
        </>
      )}
    </SettingsSection>
  );
}
