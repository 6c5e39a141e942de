import type { MessageTemplate, ProfileChanges, ProfileDetail } from "../api/types";
import type { StepRow } from "./FollowUpStepsEditor";

/** The editor's state: every field as typed. */
export interface ProfileDraft {
  name: string;
  description: string;
  instructions: string;
  bookingUrl: string;
  smsEnabled: boolean;
  emailEnabled: boolean;
  initialOutreach: boolean;
  initialMessage: string;
  initialSubject: string;
  steps: StepRow[];
  nurtureText: string;
  nurtureSubject: string;
  maxSmsLength: string;
  extract: string;
}

export function draftOf(profile: ProfileDetail): ProfileDraft {
  const steps = Object.entries(profile.followUpConfig)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([step, config], index): StepRow => {
      const template = profile.followUpTemplates[step];
      return {
        key: index + 1,
        hours: String(config.hours),
        channel: config.channel === "email" ? "email" : "text",
        text: template?.text ?? "",
        subject: template?.subject ?? "",
      };
    });
  return {
    name: profile.name,
    description: profile.description ?? "",
    instructions: profile.instructions ?? "",
    bookingUrl: profile.bookingUrl ?? "",
    smsEnabled: profile.smsEnabled,
    emailEnabled: profile.emailEnabled,
    initialOutreach: profile.initialOutreach,
    initialMessage: profile.initialMessage ?? "",
    initialSubject: profile.initialSubject ?? "",
    steps,
    nurtureText: profile.nurtureTemplate?.text ?? "",
    nurtureSubject: profile.nurtureTemplate?.subject ?? "",
    maxSmsLength: String(profile.maxSmsLength),
    extract: profile.extract.join(", "),
  };
}

const orNull = (value: string): string | null => (value.trim() === "" ? null : value.trim());

function template(text: string, subject: string): MessageTemplate | null {
  if (text.trim() === "") return null;
  return subject.trim() === "" ? { text: text.trim() } : { text: text.trim(), subject: subject.trim() };
}

/** The whole draft as a PATCH body; the API checks every value and names the field it rejects. */
export function changesOf(draft: ProfileDraft): ProfileChanges {
  const followUpTemplates: Record<string, MessageTemplate> = {};
  draft.steps.forEach((step, index) => {
    const t = template(step.text, step.channel === "email" ? step.subject : "");
    if (t !== null) followUpTemplates[String(index + 1)] = t;
  });
  return {
    name: draft.name.trim(),
    description: orNull(draft.description),
    instructions: orNull(draft.instructions),
    bookingUrl: orNull(draft.bookingUrl),
    smsEnabled: draft.smsEnabled,
    emailEnabled: draft.emailEnabled,
    initialOutreach: draft.initialOutreach,
    initialMessage: orNull(draft.initialMessage),
    initialSubject: orNull(draft.initialSubject),
    followUpConfig: Object.fromEntries(
      draft.steps.map((step, index) => [
        String(index + 1),
        { hours: Number(step.hours), channel: step.channel },
      ]),
    ),
    followUpTemplates,
    nurtureTemplate: template(draft.nurtureText, draft.nurtureSubject),
    maxSmsLength: Number(draft.maxSmsLength),
    extract: draft.extract
      .split(",")
      .map((key) => key.trim())
      .filter((key) => key !== ""),
  };
}
