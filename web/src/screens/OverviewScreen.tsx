import { useOverview } from "../api/stats";
import { QueryFailure } from "../components/QueryFailure";
import { formatDateTime } from "../format";
import { DailyChart } from "../overview/DailyChart";
import { DeliveriesChart } from "../overview/DeliveriesChart";
import { StatTiles } from "../overview/StatTiles";
import "../overview/overview.css";

/** The org at a glance: tiles over the last 7 days, messages per day, deliveries per hour. */
export function OverviewScreen() {
  const overview = useOverview();
  return (
    <>
      <title>Overview · Leadwire</title>
      <h1>Overview</h1>
      <section aria-labelledby="numbers-heading">
        <h2 id="numbers-heading" className="visually-hidden">
          Numbers
        </h2>
        {overview.isPending && <p role="status">Loading the numbers…</p>}
        {overview.isError && <QueryFailure error={overview.error} what="the numbers" />}
        {overview.data && (
          <>
            <StatTiles overview={overview.data} />
            <p className="hint">As of {formatDateTime(overview.data.asOf)}; refreshed every 30 seconds.</p>
          </>
        )}
      </section>
      <section aria-labelledby="daily-heading" className="panel">
        <h2 id="daily-heading">Messages per day</h2>
        <DailyChart />
      </section>
      <section aria-labelledby="deliveries-heading" className="panel">
        <h2 id="deliveries-heading">Webhook deliveries per hour</h2>
        <DeliveriesChart />
      </section>
    </>
  );
}
