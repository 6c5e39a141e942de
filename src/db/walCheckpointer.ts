import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * How often the background thread copies the WAL into the database file. Each copy syncs the WAL
 * first, so this is also the longest a committed change waits to reach the disk (a power cut, not
 * a crash of the process, can lose it before then: `synchronous = NORMAL`). Copying more often
 * costs more in all (each page rewritten in between is copied once per round, and each round
 * syncs twice): every 100 ms was slower than keeping the copies on the event loop.
 */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * With the thread running, the connection still copies the WAL itself once it holds this many
 * pages (4 KiB each). Only a copy that finishes between two commits lets the next write start the
 * WAL over; under writes so steady that the thread's copies never do, this bounds the file.
 */
export const BACKSTOP_WAL_PAGES = 20_000;

/** SQLite's own default, used again if the thread cannot run. */
export const DEFAULT_WAL_PAGES = 1000;

// CommonJS, evaluated: the thread runs the same code from `src/` under the tests and from
// `dist/` in production, and needs nothing but the driver the main thread already resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Another process's checkpoint holds the lock: that one copies the pages instead.
  }
}, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Ends the thread after its current copy; resolves once its connection is closed. */
  stop(): Promise<void>;
}

/**
 * Runs SQLite's WAL checkpoints on a thread of their own, with a second connection. On the event
 * loop, SQLite's automatic checkpoint ran inside whichever COMMIT crossed 1,000 pages: about 13 ms
 * of page copying and two fsyncs, several times a second under load, every request waiting.
 * `PASSIVE` copies without taking the write lock, so the main connection keeps committing. The
 * caller raises the main connection's own threshold to BACKSTOP_WAL_PAGES; `onFailure` is told if
 * the thread dies, so the caller can put it back.
 */
export function startWalCheckpointer(
  filename: string,
  onFailure: (error: unknown) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, filename, intervalMs } });
  // A background helper: it must not keep a process alive that is otherwise done.
  worker.unref();
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  worker.on("error", onFailure);
  return {
    async stop() {
      if (exited) return;
      // Held again while it closes: an unreferenced thread would let the process exit mid-close.
      worker.ref();
      worker.postMessage("stop");
      await exit;
    },
  };
}
