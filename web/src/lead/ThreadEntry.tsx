import { formatDateTime } from "../format";
import type { ThreadItem } from "./timelineData";

function When({ at }: { at: string }) {
  return <time dateTime={at}>{formatDateTime(at)}</time>;
}

const channelName = (channel: string) =>
  channel === "EMAIL" ? "Email" : channel === "SMS" ? "SMS" : channel;

/** One bubble or note of the conversation. */
export function ThreadEntry({ item, leadName }: { item: ThreadItem; leadName: string }) {
  switch (item.kind) {
    case "message": {
      const inbound = item.direction === "INBOUND";
      return (
        <li className={`bubble ${inbound ? "bubble-inbound" : "bubble-outbound"}`}>
          <p className="bubble-meta">
            {inbound ? `From ${leadName}` : item.aiGenerated ? "Assistant" : "Sent"} ·{" "}
            {channelName(item.channel)} · <When at={item.at} />
          </p>
          {item.subject !== null && <p className="bubble-subject">Subject: {item.subject}</p>}
          <p className="bubble-text">{item.text}</p>
          {item.status !== null && !inbound && <p className="bubble-status">Status: {item.status}</p>}
        </li>
      );
    }
    case "blocked":
      return (
        <li className="bubble bubble-outbound bubble-blocked">
          <p className="bubble-meta">
            Blocked{item.channel === "" ? "" : ` · ${channelName(item.channel)}`} · <When at={item.at} />
          </p>
          {item.text !== "" && <p className="bubble-text">{item.text}</p>}
          <p className="bubble-status">Not sent: {item.reason}</p>
        </li>
      );
    case "decision":
      return (
        <li className="note">
          <p>
            <strong>Assistant decision</strong> · {item.tool}
            {item.intent === null ? "" : ` (${item.intent})`}: {item.result}
            {item.brain === "" ? "" : ` · ${item.brain} brain`} · <When at={item.at} />
          </p>
          {item.reason !== "" && <p className="note-reason">{item.reason}</p>}
        </li>
      );
    case "context":
      return (
        <li className="note">
          {item.context !== null && (
            <p>
              <strong>Context</strong>: {item.context} · <When at={item.at} />
            </p>
          )}
          {item.command !== null && (
            <p>
              <strong>Command</strong>: {item.command} · <When at={item.at} />
            </p>
          )}
        </li>
      );
    case "other":
      return (
        <li className="note">
          <p>
            {item.type} · <When at={item.at} />
          </p>
        </li>
      );
  }
}
