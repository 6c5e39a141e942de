#!/usr/bin/env node
import { Command, Option } from "commander";
import { createApp, type Role } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { startBanner } from "./startBanner.js";
import { VERSION } from "./version.js";

function configOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const program = new Command().name("leadwire").version(VERSION);

program
  .command("start")
  .description("run the API server and/or the background workers")
  .addOption(
    new Option("--role <role>", "which part to run").choices(["api", "worker", "all"]).default("all"),
  )
  .action(async (options: { role: Role }) => {
    const app = await createApp(configOrExit(), { role: options.role });
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      app.logger.info({ signal }, "shutting down");
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    process.on("SIGINT", () => shutdown("SIGINT"));
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    await app.start();
    // On stderr: a person at a terminal sees it, and stdout stays JSON log lines for collectors.
    if (options.role !== "worker")
      process.stderr.write(
        startBanner({ publicUrl: app.config.publicUrl, firstAdminKey: app.firstAdminKey }),
      );
  });

program
  .command("migrate")
  .description("apply database migrations and exit")
  .action(async () => {
    const database = openDatabase(configOrExit().database);
    await migrate(database);
    await database.close();
    process.stdout.write(`migrations applied (${database.describe})\n`);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
