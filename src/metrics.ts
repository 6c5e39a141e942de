import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "./db/database.js";

export interface WebhookMetrics {
  observe(outcome: "succeeded" | "retrying" | "failed", durationMs: number): void;
}

export interface Metrics {
  registry: Registry;
  webhooks: WebhookMetrics;
}

/** One registry per app (no global state), served at /metrics. */
export function createMetrics(database: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const deliveries = new Counter({
    name: "leadwire_webhook_attempts_total",
    help: "Webhook delivery attempts by outcome (succeeded, retrying = failed and rescheduled, failed = gave up)",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "leadwire_webhook_attempt_duration_seconds",
    help: "Duration of webhook HTTP attempts",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  new Gauge({
    name: "leadwire_webhook_deliveries_pending",
    help: "Webhook deliveries waiting to be sent or retried",
    registers: [registry],
    async collect() {
      const row = await database.db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "pending")
        .executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });
  return {
    registry,
    webhooks: {
      observe(outcome, durationMs) {
        deliveries.inc({ outcome });
        latency.observe(durationMs / 1000);
      },
    },
  };
}
