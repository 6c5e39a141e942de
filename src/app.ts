import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import type { DomainContext } from "./domain/context.js";
import { ensureBootstrapKey } from "./domain/orgs/orgs.js";
import { buildHttpServer } from "./http/server.js";
import type { ZodApp } from "./http/types.js";
import { createLogger } from "./logger.js";
import { VERSION } from "./version.js";

export type Role = "api" | "worker" | "all";

export interface AppOptions {
  role?: Role;
  clock?: Clock;
  logger?: Logger;
}

export interface App {
  config: Config;
  database: Database;
  ctx: DomainContext;
  http: ZodApp;
  logger: Logger;
  /** Listen on config.host:config.port (api role) and start workers (worker role). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The composition root: every service is built here, once, and handed to what needs it. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const role = options.role ?? "all";
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.database);
  await migrate(database);

  const ctx: DomainContext = {
    db: database.db,
    clock,
    capabilities: database.capabilities,
    onEventsCommitted: () => undefined,
  };
  if (config.bootstrapApiKey !== undefined) await ensureBootstrapKey(ctx, config.bootstrapApiKey);

  const http = await buildHttpServer({ ctx, config, database, logger }, VERSION);

  return {
    config,
    database,
    ctx,
    http,
    logger,
    async start() {
      const address =
        role === "worker" ? undefined : await http.listen({ port: config.port, host: config.host });
      logger.info({ role, address, database: database.describe, version: VERSION }, "leadwire started");
    },
    async close() {
      await http.close();
      await database.close();
    },
  };
}
