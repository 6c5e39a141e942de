import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

export interface LeadwireProcess {
  child: ChildProcess;
  /** The base URL it listens on (api role), e.g. http://127.0.0.1:41234 */
  url: string | undefined;
  /** Every JSON log line it printed so far. */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts the built CLI (`node dist/main.js start`) and waits for its "leadwire started" line. */
export async function startProcess(env: Record<string, string>, role = "api"): Promise<LeadwireProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [MAIN, "start", "--role", role], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise<string | undefined>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === "leadwire started") resolve(entry.address as string | undefined);
      } catch {
        // not a log line
      }
    });
    exited.then((code) => reject(new Error(`leadwire exited with ${code} before starting: ${stderr}`)));
  });
  const url = await started;
  return { child, url, logs, exited };
}
