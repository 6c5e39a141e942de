import { useMemo } from "react";
import { TextField } from "../components/TextField";
import { CheckboxField, CheckboxGroup, SelectField, SettingsSection } from "./fields";
import { HolidaysEditor } from "./HolidaysEditor";
import type { SectionProps } from "./sectionProps";

const WEEKDAYS = [
  { value: 1, label: "Monday" },
  { value: 2, label: "Tuesday" },
  { value: 3, label: "Wednesday" },
  { value: 4, label: "Thursday" },
  { value: 5, label: "Friday" },
  { value: 6, label: "Saturday" },
  { value: 7, label: "Sunday" },
] as const;

/** Every IANA zone the browser knows, plus the stored one if it is not among them. */
function useTimeZones(current: string) {
  return useMemo(() => {
    const zones = Intl.supportedValuesOf("timeZone");
    return (zones.includes(current) ? zones : [current, ...zones]).map((zone) => ({
      value: zone,
      label: zone,
    }));
  }, [current]);
}

export function FollowUpWindowSection({ draft, set, error }: SectionProps) {
  const zones = useTimeZones(draft.timeZone);
  return (
    <SettingsSection
      title="Follow-up window"
      intro="Follow-up steps go out only in these hours, on these days, in this time zone, and never on a holiday."
    >
      <div className="field-row">
        <TextField
          label="Window start (hour)"
          name="followUpWindow.startHour"
          type="number"
          min={0}
          max={23}
          value={draft.windowStart}
          onChange={(event) => set("windowStart", event.currentTarget.value)}
          error={error}
        />
        <TextField
          label="Window end (hour)"
          name="followUpWindow.endHour"
          type="number"
          min={1}
          max={24}
          value={draft.windowEnd}
          onChange={(event) => set("windowEnd", event.currentTarget.value)}
          error={error}
        />
      </div>
      <CheckboxGroup
        legend="Days"
        name="followUpWindow.days"
        options={WEEKDAYS}
        selected={draft.windowDays}
        onChange={(days) => set("windowDays", days)}
        error={error}
      />
      <SelectField
        label="Time zone"
        name="followUpWindow.timeZone"
        value={draft.timeZone}
        options={zones}
        onChange={(zone) => set("timeZone", zone)}
        error={error}
        hint="Used for leads whose own time zone is unknown."
      />
      <HolidaysEditor holidays={draft.holidays} onChange={(list) => set("holidays", list)} error={error} />
      <CheckboxField
        label="Apply the window to initial outreach too"
        name="followUpWindow.applyToInitialOutreach"
        checked={draft.applyToInitialOutreach}
        onChange={(on) => set("applyToInitialOutreach", on)}
        error={error}
      />
      <CheckboxField
        label="Long-term follow-ups (nurture) after the last step"
        name="longTermFollowUps.enabled"
        checked={draft.longTermEnabled}
        onChange={(on) => set("longTermEnabled", on)}
        error={error}
      />
      <TextField
        label="Nurture every (days)"
        name="longTermFollowUps.intervalDays"
        type="number"
        min={1}
        max={365}
        value={draft.longTermIntervalDays}
        onChange={(event) => set("longTermIntervalDays", event.currentTarget.value)}
        error={error}
      />
    </SettingsSection>
  );
}

export function QuietHoursSection({ draft, set, error }: SectionProps) {
  return (
    <SettingsSection
      title="Quiet hours"
      intro="No SMS outside these hours in the lead's time zone. The legal floor is 08:00 to 21:00."
    >
      <CheckboxField
        label="Keep quiet hours"
        name="quietHours.enabled"
        checked={draft.quietEnabled}
        onChange={(on) => set("quietEnabled", on)}
        error={error}
      />
      <div className="field-row">
        <TextField
          label="Quiet hours start (hour)"
          name="quietHours.startHour"
          type="number"
          min={8}
          max={23}
          value={draft.quietStart}
          onChange={(event) => set("quietStart", event.currentTarget.value)}
          error={error}
          hint="Texts may go out from this hour."
        />
        <TextField
          label="Quiet hours end (hour)"
          name="quietHours.endHour"
          type="number"
          min={1}
          max={21}
          value={draft.quietEnd}
          onChange={(event) => set("quietEnd", event.currentTarget.value)}
          error={error}
          hint="Texts stop at this hour."
        />
      </div>
    </SettingsSection>
  );
}
