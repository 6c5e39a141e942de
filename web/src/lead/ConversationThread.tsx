import { useLeadTimeline } from "../api/leads";
import { QueryFailure } from "../components/QueryFailure";
import { ThreadEntry } from "./ThreadEntry";
import { threadItems } from "./timelineData";

/** The conversation, polled every 2 s; `role="log"` lets screen readers hear new entries. */
export function ConversationThread({
  leadId,
  leadName,
  types,
}: {
  leadId: string;
  leadName: string;
  /** Only these timeline types (none: everything). */
  types: readonly string[];
}) {
  const timeline = useLeadTimeline(leadId, types);
  if (timeline.data === undefined) {
    return timeline.isError ? (
      <QueryFailure error={timeline.error} what="the conversation" />
    ) : (
      <p role="status">Loading the conversation…</p>
    );
  }
  const items = threadItems(timeline.data.entries);
  return (
    <div role="log" aria-label="Conversation" className="thread">
      {items.length === 0 ? (
        <p>{types.length === 0 ? "No messages yet." : "Nothing of these types yet."}</p>
      ) : (
        <ol>
          {items.map((item) => (
            <ThreadEntry key={item.id} item={item} leadName={leadName} />
          ))}
        </ol>
      )}
      {timeline.isError && <QueryFailure error={timeline.error} what="new messages" />}
      {!timeline.data.complete && <p className="hint">Showing the first part of a long conversation.</p>}
    </div>
  );
}
