import { Link, useSearchParams } from "react-router";
import { useUnknownMessages } from "../api/messages";
import { QueryFailure } from "../components/QueryFailure";
import { UnknownMessageCard } from "../reconcile/UnknownMessageCard";
import "../reconcile/reconcile.css";

const PAGE = 25;

function readLimit(params: URLSearchParams): number {
  const n = Number(params.get("limit"));
  return Number.isInteger(n) && n >= PAGE && n <= 1000 ? n : PAGE;
}

/**
 * Messages whose send may or may not have reached the provider (`GET /v1/messages?status=unknown`),
 * each with what is known and the operator's choice. The API pages by size only, so "Show more"
 * raises `?limit=` in the URL.
 */
export function ReconcileScreen() {
  const [params] = useSearchParams();
  const limit = readLimit(params);
  const messages = useUnknownMessages(limit);
  const list = messages.data ?? [];
  return (
    <>
      <title>Messages to reconcile · Leadwire</title>
      <h1>Messages to reconcile</h1>
      <p className="hint">
        The sender stopped while handing these to the provider, so nobody knows whether the lead got them.
        Check the provider's log, then say what happened.
      </p>
      <section aria-labelledby="unknown-heading" aria-busy={messages.isFetching}>
        <h2 id="unknown-heading" className="visually-hidden">
          Unknown messages
        </h2>
        {messages.isPending && <p role="status">Loading the messages…</p>}
        {messages.isError && <QueryFailure error={messages.error} what="the messages" />}
        {messages.isSuccess && list.length === 0 && <p role="status">Nothing to reconcile.</p>}
        {list.map((message) => (
          <UnknownMessageCard key={message.id} message={message} />
        ))}
        {list.length >= limit && limit < 1000 && (
          <p>
            <Link to={`?limit=${Math.min(limit * 2, 1000)}`}>Show more</Link>
          </p>
        )}
      </section>
    </>
  );
}
