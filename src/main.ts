#!/usr/bin/env node
import { Command, Option } from "commander";
import type { Role } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import type { ImportCommandOptions } from "./importCommand.js";
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
    // Loaded per command: the server's modules are most of a start, and the import needs none of them.
    const { createApp } = await import("./app.js");
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

program
  .command("import")
  .description(
    "import leads from a CSV file whose first row names the columns (README: Import a spreadsheet)",
  )
  .argument("<file>", "the CSV file (UTF-8; comma, semicolon or tab separated)")
  .requiredOption("--profile <name>", "the customer profile every lead gets")
  .option(
    "--map <column=field>",
    "map a column (repeatable): firstName, lastName, name, phone, email, timeZone, externalLeadId, additionalInfo[.key] or skip",
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .option("--dry-run", "check every row and write the report, but create no lead")
  .option(
    "--report <file>",
    "write the skipped rows (rejected and duplicates) with their reasons to this CSV",
  )
  .option("--org-key <key>", "an API key of the org to import into (default: the org named default)")
  .option("--default-country <code>", "read phones without a leading + as numbers of this country, e.g. US")
  .action(async (file: string, options: ImportCommandOptions) => {
    const { importCommand } = await import("./importCommand.js");
    process.exitCode = await importCommand(configOrExit(), file, options, process.stdout, process.stderr);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
