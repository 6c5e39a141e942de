import { sql } from "kysely";
import { z } from "zod";
import { isMigrated } from "../../../db/migrate.js";
import type { RegisterRoute } from "../../types.js";

/** Liveness: the process answers. */
export const healthz: RegisterRoute = (app) => {
  app.get(
    "/healthz",
    { schema: { hide: true, response: { 200: z.object({ status: z.literal("ok") }) } } },
    async () => ({ status: "ok" as const }),
  );
};

/** Readiness: the database answers and every migration is applied. */
export const readyz: RegisterRoute = (app, { database }) => {
  const body = z.object({ status: z.enum(["ready", "unavailable"]), reason: z.string().optional() });
  app.get(
    "/readyz",
    { schema: { hide: true, response: { 200: body, 503: body } } },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(database.db);
        if (!(await isMigrated(database))) {
          return reply.status(503).send({ status: "unavailable", reason: "migrations pending" });
        }
        return { status: "ready" as const };
      } catch {
        return reply.status(503).send({ status: "unavailable", reason: "database unreachable" });
      }
    },
  );
};

/** Prometheus metrics: webhook outcomes, attempt latency, pending deliveries, process stats. */
export const metricsRoute: RegisterRoute = (app, { metrics }) => {
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) =>
    reply.header("content-type", metrics.contentType).send(await metrics.metrics()),
  );
};
