import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../clock.js";
import type { Capabilities } from "../db/database.js";
import type { DB } from "../db/schema.js";
import type { SecretBox } from "../secretBox.js";
import type { ClockQueue } from "./events/clockQueue.js";
import type { LeadChangeBatches } from "./events/leadChangeBatches.js";
import type { OrgWorkBatches } from "./events/orgWork.js";
import type { Emit, WakeDispatcher } from "./events/transaction.js";
import type { LeadCreateBatches } from "./leads/leadCreateBatches.js";
import type { VersionedLeadReads } from "./leads/versionedLeadReads.js";
import type { InboundTextBatches } from "./messages/inboundTextBatches.js";
import type { ApiKeyCache } from "./orgs/apiKeyCache.js";
import type { SharedReads } from "./turnReads.js";
import type { DeliveryHandoff } from "./webhooks/handoff.js";

/** What domain functions need from the outside world, handed in by app.ts. */
export interface DomainContext {
  db: Kysely<DB>;
  clock: Clock;
  capabilities: Capabilities;
  /**
   * Called after a transaction that made webhook deliveries due commits, so this process's
   * dispatcher starts at once (other processes hear a NOTIFY sent inside that transaction).
   */
  wakeDispatcher: (endpointIds?: readonly string[]) => void;
  /** Wakes this process's message sender after a transaction queued messages that are due. */
  wakeMessageSender: () => void;
  /** Wakes this process's assistant worker after a transaction enqueued jobs that are due. */
  wakeAssistant: () => void;
  /** Seals secrets before they are stored; whoever uses one reveals it. */
  secrets: SecretBox;
  /**
   * Vets a URL the server will call (SSRF): a webhook endpoint, a compliance check. May resolve
   * the host name, so it sits behind this function and domain code imports no network policy.
   */
  outboundUrlProblem: OutboundUrlCheck;
  /**
   * SQLite only: `inTransaction` work joins a shared transaction (groupCommit.ts). Absent on
   * PostgreSQL, where concurrent transactions run side by side on their own connections.
   */
  groupCommit?: GroupCommitRunner;
  /** The live API keys this process has seen (apiKeyCache.ts); absent: every request reads its key. */
  apiKeys?: ApiKeyCache;
  /** PostgreSQL: this process's turns at each org's sync clock (clockQueue.ts). */
  clockQueue?: ClockQueue;
  /**
   * This process's dispatcher, taking the deliveries it has room for as they are written
   * (webhooks/handoff.ts); absent when the process runs no workers.
   */
  deliveryHandoff?: DeliveryHandoff;
  /**
   * Concurrent creates of one org are one piece of work in one commit (leadCreateBatches.ts).
   */
  leadCreates?: LeadCreateBatches;
  /** PostgreSQL: concurrent repeatable work of one org shares a commit (orgWork.ts). */
  orgWork?: OrgWorkBatches;
  /** PostgreSQL: per-org reads outside transactions, one query per turn (turnReads.ts). */
  sharedReads?: SharedReads;
  /** Concurrent inbound texts of one org are received in one commit (inboundTextBatches.ts). */
  inboundTexts?: InboundTextBatches;
  /** PostgreSQL: concurrent PATCHes of one org share a commit (leadChangeBatches.ts). */
  leadChanges?: LeadChangeBatches;
  /** PostgreSQL: the unlocked reads of concurrent PATCHes, one query per turn (versionedLeadReads.ts). */
  leadReads?: VersionedLeadReads;
}

/** Why the server must not call this URL, or undefined when it may. */
export type OutboundUrlCheck = (url: string) => Promise<string | undefined>;

export interface GroupCommitRunner {
  run<R>(work: (tx: Transaction<DB>, emit: Emit, wake: WakeDispatcher) => Promise<R>): Promise<R>;
}

export type Tx = Transaction<DB> | Kysely<DB>;

/** The caller: an API key's org and rights. */
export interface Caller {
  orgId: string;
  keyId: string;
  isAdmin: boolean;
}
