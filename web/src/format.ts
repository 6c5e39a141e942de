const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A timestamp from the API in the reader's locale and zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** `1, 2, …` a step; `-1` stopped; `-2` long-term nurture (the API's convention). */
export function describeFollowUpStep(step: number): string {
  if (step === -1) return "Stopped";
  if (step === -2) return "Nurture";
  return `Step ${step}`;
}

export function fullName(lead: { firstName: string; lastName: string }): string {
  return `${lead.firstName} ${lead.lastName}`;
}
