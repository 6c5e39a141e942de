import { Link } from "react-router";
import type { Overview } from "../api/stats";
import { formatCount, formatRate } from "./formatStats";

interface Tile {
  label: string;
  value: string;
  hint: string;
  /** The screen that lists what the number counts. */
  to?: string;
}

function tilesOf(o: Overview): Tile[] {
  return [
    { label: "Leads", value: formatCount(o.leads), hint: "Live leads" },
    { label: "Sent today", value: formatCount(o.messagesSentToday), hint: "Since 00:00 UTC" },
    { label: "Sent in 7 days", value: formatCount(o.messagesSent7d), hint: "Messages accepted for delivery" },
    {
      label: "Reply rate, 7 days",
      value: formatRate(o.replyRate7d),
      hint: o.replyRate7d === null ? "No lead was messaged" : "Leads messaged who replied",
    },
    { label: "Opt-outs, 7 days", value: formatCount(o.optOuts7d), hint: "Leads who opted out" },
    {
      label: "Webhook success, 7 days",
      value: formatRate(o.webhookSuccessRate7d),
      hint: o.webhookSuccessRate7d === null ? "No delivery finished" : "Of the finished deliveries",
    },
    {
      label: "Unknown messages",
      value: formatCount(o.unknownMessages),
      hint: "Waiting to be reconciled",
      to: "/messages/unknown",
    },
  ];
}

/** The overview's numbers, each a term and its value. */
export function StatTiles({ overview }: { overview: Overview }) {
  return (
    <dl className="tiles">
      {tilesOf(overview).map((tile) => (
        <div className="tile" key={tile.label}>
          <dt>{tile.label}</dt>
          <dd className="tile-value">
            {tile.to === undefined ? (
              tile.value
            ) : (
              <Link to={tile.to} aria-label={`${tile.value} ${tile.label.toLowerCase()}: reconcile them`}>
                {tile.value}
              </Link>
            )}
          </dd>
          <dd className="tile-hint">{tile.hint}</dd>
        </div>
      ))}
    </dl>
  );
}
