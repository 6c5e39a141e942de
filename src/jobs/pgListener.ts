import type pg from "pg";
import type { Logger } from "pino";

/**
 * Holds one pooled connection in LISTEN on `channel` and calls `onNotify` for each NOTIFY,
 * reconnecting after errors. Returns a stop function.
 */
export function listenForNotifications(
  pool: pg.Pool,
  channel: string,
  /** The NOTIFY's payload; undefined for the catch-up call after (re)connecting. */
  onNotify: (payload?: string) => void,
  logger: Logger,
): () => Promise<void> {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    try {
      const c = await pool.connect();
      if (stopped) {
        c.release();
        return;
      }
      client = c;
      c.on("notification", (message) => onNotify(message.payload));
      c.on("error", (error) => {
        logger.warn({ err: error }, "LISTEN connection lost; reconnecting");
        c.release(true);
        client = undefined;
        schedule();
      });
      await c.query(`LISTEN ${channel}`);
      // Anything committed while we were not listening is picked up right away.
      onNotify();
    } catch (error) {
      logger.warn({ err: error }, "could not LISTEN; retrying");
      schedule();
    }
  };
  const schedule = () => {
    if (!stopped) retry = setTimeout(() => void connect(), 1000);
  };
  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = undefined;
    if (c) {
      await c.query(`UNLISTEN ${channel}`).catch(() => undefined);
      c.release();
    }
  };
}
