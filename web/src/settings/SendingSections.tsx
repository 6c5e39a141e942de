import { REDACTED } from "../api/settings";
import { TextField } from "../components/TextField";
import { CheckboxField, CheckboxGroup, SelectField, SettingsSection } from "./fields";
import type { SectionProps } from "./sectionProps";

const CHANNELS = [
  { value: "sms", label: "SMS" },
  { value: "email", label: "Email" },
] as const;

const ON_UNREACHABLE = [
  { value: "block", label: "Block the message" },
  { value: "allow", label: "Send it anyway" },
] as const;

export function SendersSection({ draft, set, error }: SectionProps) {
  return (
    <SettingsSection title="Senders" intro="Empty fields use the server's defaults.">
      <div className="field-row">
        <TextField
          label="SMS from (phone number)"
          name="senders.sms.from"
          type="tel"
          autoComplete="off"
          value={draft.smsFrom}
          onChange={(event) => set("smsFrom", event.currentTarget.value)}
          error={error}
        />
        <TextField
          label="Twilio messaging service SID"
          name="senders.sms.messagingServiceSid"
          autoComplete="off"
          spellCheck={false}
          value={draft.messagingServiceSid}
          onChange={(event) => set("messagingServiceSid", event.currentTarget.value)}
          error={error}
          hint="MG followed by 32 hex digits; used instead of the number when set."
        />
      </div>
      <div className="field-row">
        <TextField
          label="Email from"
          name="senders.email.from"
          type="email"
          autoComplete="off"
          value={draft.emailFrom}
          onChange={(event) => set("emailFrom", event.currentTarget.value)}
          error={error}
        />
        <TextField
          label="Email reply-to"
          name="senders.email.replyTo"
          type="email"
          autoComplete="off"
          value={draft.emailReplyTo}
          onChange={(event) => set("emailReplyTo", event.currentTarget.value)}
          error={error}
        />
      </div>
    </SettingsSection>
  );
}

/** The org's own Twilio account. The token is write-only: the API answers `[redacted]` when one is set. */
export function TwilioSection({ draft, set, error, saved }: SectionProps) {
  const tokenSet = saved.twilio?.authToken === REDACTED;
  return (
    <SettingsSection
      title="Twilio account"
      intro="Texts go out through this account, and inbound texts are checked with its token, instead of the server's."
    >
      <CheckboxField
        label="Use this organisation's own Twilio account"
        name="twilio"
        checked={draft.twilioOn}
        onChange={(on) => set("twilioOn", on)}
        error={null}
      />
      {draft.twilioOn && (
        <div className="field-row">
          <TextField
            label="Account SID"
            name="twilio.accountSid"
            autoComplete="off"
            spellCheck={false}
            value={draft.twilioAccountSid}
            onChange={(event) => set("twilioAccountSid", event.currentTarget.value)}
            error={error}
            hint="AC followed by 32 hex digits."
          />
          <TextField
            label="Auth token"
            name="twilio.authToken"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={draft.twilioAuthToken}
            onChange={(event) => set("twilioAuthToken", event.currentTarget.value)}
            error={error}
            hint={
              tokenSet
                ? "A token is set and is never shown. Leave this empty to keep it, or type a new one to replace it."
                : "No token is set yet."
            }
          />
        </div>
      )}
    </SettingsSection>
  );
}

export function ComplianceSection({ draft, set, error }: SectionProps) {
  return (
    <SettingsSection
      title="Compliance check"
      intro="Before each send, Leadwire asks this URL whether the message may go out."
    >
      <CheckboxField
        label="Check every message with a compliance service"
        name="complianceCheck"
        checked={draft.complianceOn}
        onChange={(on) => set("complianceOn", on)}
        error={null}
      />
      {draft.complianceOn && (
        <>
          <TextField
            label="Compliance check URL"
            name="complianceCheck.url"
            type="url"
            autoComplete="off"
            value={draft.complianceUrl}
            onChange={(event) => set("complianceUrl", event.currentTarget.value)}
            error={error}
            hint="https (http only for localhost)."
          />
          <CheckboxGroup
            legend="Channels to check"
            name="complianceCheck.channels"
            options={CHANNELS}
            selected={draft.complianceChannels}
            onChange={(channels) => set("complianceChannels", channels)}
            error={error}
          />
          <div className="field-row">
            <TextField
              label="Timeout (milliseconds)"
              name="complianceCheck.timeoutMs"
              type="number"
              min={100}
              max={30000}
              value={draft.complianceTimeoutMs}
              onChange={(event) => set("complianceTimeoutMs", event.currentTarget.value)}
              error={error}
            />
            <SelectField
              label="When the service cannot be reached"
              name="complianceCheck.onUnreachable"
              value={draft.complianceOnUnreachable}
              options={ON_UNREACHABLE}
              onChange={(value) => set("complianceOnUnreachable", value)}
              error={error}
            />
          </div>
        </>
      )}
    </SettingsSection>
  );
}
