import { type Logger, pino } from "pino";
import pretty from "pino-pretty";
import type { Config } from "./config.js";

/** Secrets that must never reach a log line, wherever they appear. */
const REDACT = [
  "req.headers['x-api-key']",
  "req.headers.authorization",
  "req.headers.cookie",
  "*.apiKey",
  "*.authToken",
  "*.secret",
  "*.password",
];

/** Whether lines are for a person: asked for, or `auto` with a terminal on stdout. */
export function wantsPrettyLogs(format: Config["logFormat"], isTerminal: boolean): boolean {
  return format === "pretty" || (format === "auto" && isTerminal);
}

export function createLogger(
  config: Pick<Config, "logLevel" | "logFormat">,
  isTerminal = process.stdout.isTTY === true,
  destination: NodeJS.WritableStream = process.stdout,
): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACT, censor: "[redacted]" } };
  if (!wantsPrettyLogs(config.logFormat, isTerminal)) return pino(options, destination);
  // Synchronous, in this thread: a line is written before the process can exit on a fatal error.
  return pino(
    options,
    pretty({
      destination,
      colorize: isTerminal,
      sync: true,
      translateTime: "SYS:HH:MM:ss",
      ignore: "pid,hostname",
    }),
  );
}
