import type { DeliveryAttempt } from "../api/types";
import { formatDateTime } from "../format";

/** The request headers the attempt carried, as stored when it was made. */
function RequestHeaders({ attempt, number }: { attempt: DeliveryAttempt; number: number }) {
  if (attempt.requestHeaders === null) {
    return <p className="hint">Not recorded (attempt made before headers were stored).</p>;
  }
  return (
    <table className="table headers-table">
      <caption className="visually-hidden">Request headers of attempt {number}</caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(attempt.requestHeaders).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td className="wrap-anywhere">
              <code>{value}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One HTTP try: when, how long, the request's headers, and the receiver's answer. */
export function AttemptCard({ attempt, number }: { attempt: DeliveryAttempt; number: number }) {
  const headingId = `attempt-${attempt.id}`;
  const result = attempt.succeeded ? "succeeded" : "failed";
  return (
    <li>
      <article aria-labelledby={headingId} className={`panel attempt attempt-${result}`}>
        <h3 id={headingId}>
          Attempt {number}: {result}
        </h3>
        <dl className="key-values">
          <div>
            <dt>Sent</dt>
            <dd>
              <time dateTime={attempt.attemptedAt}>{formatDateTime(attempt.attemptedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{attempt.durationMs} ms</dd>
          </div>
          <div>
            <dt>Response status</dt>
            <dd>{attempt.statusCode === null ? "No response" : `HTTP ${attempt.statusCode}`}</dd>
          </div>
          {attempt.error !== null && (
            <div>
              <dt>Error</dt>
              <dd className="wrap-anywhere">{attempt.error}</dd>
            </div>
          )}
        </dl>
        <h4>Request headers</h4>
        <RequestHeaders attempt={attempt} number={number} />
        <p className="hint">Request body: the payload above, the same bytes on every attempt.</p>
        <h4>Response body (first 4 KiB)</h4>
        {attempt.responseBody === null || attempt.responseBody === "" ? (
          <p className="hint">{attempt.responseBody === null ? "No response." : "Empty."}</p>
        ) : (
          <pre className="code-block">{attempt.responseBody}</pre>
        )}
      </article>
    </li>
  );
}
