import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../clock.js";
import type { Capabilities } from "../db/database.js";
import type { DB } from "../db/schema.js";

/** What domain functions need from the outside world, handed in by app.ts. */
export interface DomainContext {
  db: Kysely<DB>;
  clock: Clock;
  capabilities: Capabilities;
  /** Called after a transaction that wrote events commits, so dispatchers wake at once. */
  onEventsCommitted: () => void;
}

export type Tx = Transaction<DB> | Kysely<DB>;

/** The caller: an API key's org and rights. */
export interface Caller {
  orgId: string;
  keyId: string;
  isAdmin: boolean;
}
