import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/**
 * How long a start (up to its "leadwire started" line) or a stop may take before it counts as
 * stuck. A start takes a second or two; these are for a loaded machine, where several processes
 * start at once next to other test files, and only turn a hang into a readable failure.
 */
export const START_TIMEOUT_MS = 120_000;
export const STOP_TIMEOUT_MS = 60_000;

export interface LeadwireProcess {
  child: ChildProcess;
  /** The base URL it listens on (api role), e.g. http://127.0.0.1:41234 */
  url: string | undefined;
  /** Every JSON log line it printed so far. */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  /** What it printed on stderr so far. */
  stderr(): string;
}

const logLineSchema = z.record(z.string(), z.unknown());
const startedLineSchema = z.looseObject({
  msg: z.literal("leadwire started"),
  address: z.string().optional(),
});

/** Its stderr and last log lines, to say why a start or a stop failed. */
function lastWords(p: Pick<LeadwireProcess, "logs" | "stderr">): string {
  const logs = p.logs.slice(-5).map((entry) => JSON.stringify(entry));
  return `stderr: ${p.stderr().slice(-2000) || "(empty)"}; last log lines: ${logs.join(" | ") || "(none)"}`;
}

/**
 * Starts the built CLI (`node dist/main.js start`) and waits for its "leadwire started" line.
 * A process that exits first, or is still silent after `startTimeoutMs`, fails the start (and
 * is killed, so that no test leaves one behind).
 */
export async function startProcess(
  env: Record<string, string>,
  role = "api",
  options: { startTimeoutMs?: number } = {},
): Promise<LeadwireProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [MAIN, "start", "--role", role], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const said = { logs, stderr: () => stderr };
  const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<string | undefined>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return; // not a log line
      }
      const entry = logLineSchema.safeParse(parsed);
      if (!entry.success) return;
      logs.push(entry.data);
      const start = startedLineSchema.safeParse(entry.data);
      if (start.success) resolve(start.data.address);
    });
    exited.then((code) =>
      reject(new Error(`leadwire exited with ${code} before starting; ${lastWords(said)}`)),
    );
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`leadwire (${role}) did not start within ${timeoutMs} ms; ${lastWords(said)}`));
    }, timeoutMs);
  });
  try {
    const url = await started;
    return { child, url, logs, exited, stderr: () => stderr };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends `signal` and waits for the exit code. A process still running after `timeoutMs` is
 * killed and the stop fails, saying what it printed last.
 */
export async function stopProcess(
  p: LeadwireProcess,
  signal: NodeJS.Signals = "SIGTERM",
  timeoutMs = STOP_TIMEOUT_MS,
): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
  });
  try {
    const code = await Promise.race([p.exited, late]);
    if (code !== "late") return code;
    p.child.kill("SIGKILL");
    await p.exited;
    throw new Error(`leadwire did not stop within ${timeoutMs} ms of ${signal}; ${lastWords(p)}`);
  } finally {
    clearTimeout(timer);
  }
}
