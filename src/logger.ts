import { type Logger, pino } from "pino";
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

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({ level: config.logLevel, redact: { paths: REDACT, censor: "[redacted]" } });
}
