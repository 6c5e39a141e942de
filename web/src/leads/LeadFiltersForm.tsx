import { type FormEvent, type RefObject, useEffect, useId, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import type { Profile, Tag } from "../api/types";
import { describeFollowUpStep } from "../format";
import { FLAG_FILTERS, filterParams, filtersFromForm, hasFilters, type LeadFilters } from "./leadFilters";

/** `value` among the options, or an extra option for it (a shared URL may name one that is gone). */
function withCurrent(options: { value: string; label: string }[], value: string) {
  return value === "" || options.some((o) => o.value === value)
    ? options
    : [...options, { value, label: value }];
}

function Select({
  label,
  name,
  value,
  anyLabel,
  options,
}: {
  label: string;
  name: string;
  value: string;
  anyLabel: string;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        <option value="">{anyLabel}</option>
        {withCurrent(options, value).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Steps 1…n of the longest follow-up config among the profiles, then stopped and nurture. */
function stepOptions(profiles: Profile[]) {
  const longest = Math.max(1, ...profiles.map((p) => Object.keys(p.followUpConfig).length));
  const steps = [...Array.from({ length: longest }, (_, i) => i + 1), -1, -2];
  return steps.map((step) => ({ value: String(step), label: describeFollowUpStep(step) }));
}

/**
 * Search and filters; applying them writes them to the URL (and goes back to the newest page).
 * New filters in the URL remount this form (LeadsScreen's key), so its fields show the URL; the
 * control that applied them (the search box after Enter, the Search button) gets focus back
 * through `refocus`, the position of that control among the form's, kept by the screen.
 */
export function LeadFiltersForm({
  filters,
  profiles,
  tags,
  refocus,
}: {
  filters: LeadFilters;
  profiles: Profile[];
  tags: Tag[];
  refocus: RefObject<number | null>;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [, setSearchParams] = useSearchParams();
  useEffect(() => {
    const index = refocus.current;
    refocus.current = null;
    const control = index === null ? null : form.current?.elements.item(index);
    if (control instanceof HTMLElement) control.focus();
  }, [refocus]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = filterParams(filtersFromForm(new FormData(event.currentTarget)));
    if (next.toString() !== filterParams(filters).toString()) {
      const active = document.activeElement;
      const index = active === null ? -1 : [...event.currentTarget.elements].indexOf(active);
      refocus.current = index === -1 ? null : index;
    }
    setSearchParams(next);
  };
  const byName = (items: { name: string }[]) => items.map((item) => ({ value: item.name, label: item.name }));
  return (
    <form ref={form} onSubmit={submit} className="form lead-filters" aria-label="Search leads">
      <div className="field-row lead-search">
        <div className="field">
          <label htmlFor={`${id}-q`}>Search</label>
          <input
            id={`${id}-q`}
            name="q"
            type="search"
            defaultValue={filters.q}
            maxLength={200}
            aria-describedby={`${id}-q-hint`}
          />
          <p id={`${id}-q-hint`} className="hint">
            Part of a name, an email, or phone digits
          </p>
        </div>
      </div>
      <div className="field-row">
        <Select
          label="Profile"
          name="profile"
          value={filters.profile}
          anyLabel="Any profile"
          options={byName(profiles)}
        />
        <Select label="Tag" name="tag" value={filters.tag} anyLabel="Any tag" options={byName(tags)} />
        <Select
          label="Follow-up"
          name="followUpStep"
          value={filters.followUpStep}
          anyLabel="Any step"
          options={stepOptions(profiles)}
        />
      </div>
      <div className="field-row">
        {FLAG_FILTERS.map((flag) => (
          <Select
            key={flag.name}
            label={flag.label}
            name={flag.name}
            value={filters[flag.name]}
            anyLabel="Any"
            options={[
              { value: "true", label: flag.yes },
              { value: "false", label: flag.no },
            ]}
          />
        ))}
      </div>
      <div className="actions">
        <button type="submit">Search</button>
        {hasFilters(filters) && <Link to="/leads">Clear filters</Link>}
      </div>
    </form>
  );
}
