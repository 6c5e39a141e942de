import type { Lead } from "../api/types";

type Flags = Pick<Lead, "hasReplied" | "isHot" | "isQualified" | "isUnsubscribed" | "isAiOn">;

/** A badge for each flag that is set; "AI off" when the assistant is off for the lead. */
export function FlagBadges({ lead }: { lead: Flags }) {
  const badges: { label: string; tone: string }[] = [];
  if (lead.hasReplied) badges.push({ label: "Replied", tone: "info" });
  if (lead.isHot) badges.push({ label: "Hot", tone: "hot" });
  if (lead.isQualified) badges.push({ label: "Qualified", tone: "good" });
  if (lead.isUnsubscribed) badges.push({ label: "Unsubscribed", tone: "warn" });
  if (!lead.isAiOn) badges.push({ label: "AI off", tone: "muted" });
  if (badges.length === 0) return null;
  return (
    <ul className="badges" aria-label="Flags">
      {badges.map((badge) => (
        <li key={badge.label} className={`badge badge-${badge.tone}`}>
          {badge.label}
        </li>
      ))}
    </ul>
  );
}
