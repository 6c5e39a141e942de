import DataLoader from "dataloader";
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.js";
import { type EnabledRuleRow, enabledRuleRows } from "./notifications/notificationRules.js";
import { storedSettings } from "./settings/settings.js";
import { smsSenderOwner } from "./settings/smsSenders.js";

/**
 * Reads asked for in one turn of the event loop with the same key share one query (DataLoader,
 * scheduled with setImmediate): a burst of inbound texts to one org read its settings and the
 * owner of its number once per turn, not once per text. Nothing is cached: the query is sent
 * after the turn, so each caller reads what was committed before it asked. Worth it on
 * PostgreSQL, where every query is a round trip that costs more than the read it carries.
 */
export class TurnReads<V> {
  private readonly loader: DataLoader<string, V>;

  constructor(read: (key: string) => Promise<V>) {
    this.loader = new DataLoader(
      async (keys) => {
        const once = new Map<string, Promise<V>>();
        for (const key of keys) if (!once.has(key)) once.set(key, read(key));
        // One key's failure is its callers' alone.
        return Promise.all(
          keys.map((key) =>
            (once.get(key) ?? read(key)).catch((error: unknown) =>
              error instanceof Error ? error : new Error(String(error)),
            ),
          ),
        );
      },
      { cache: false, batchScheduleFn: (callback) => setImmediate(callback) },
    );
  }

  load(key: string): Promise<V> {
    return this.loader.load(key);
  }
}

/** The per-org reads that many requests make outside any transaction, shared per turn. */
export interface SharedReads {
  /** An org's stored settings document, undefined when it never changed any. */
  settings: TurnReads<string | undefined>;
  /** The org that owns a sending number or messaging service. */
  smsSenderOwner: TurnReads<string | undefined>;
  /** An org's enabled notification rules (the assistant checks every reading against them). */
  enabledRules: TurnReads<EnabledRuleRow[]>;
}

export function sharedReads(db: Kysely<DB>): SharedReads {
  return {
    settings: new TurnReads((orgId) => storedSettings(db, orgId)),
    smsSenderOwner: new TurnReads((sender) => smsSenderOwner(db, sender)),
    enabledRules: new TurnReads((orgId) => enabledRuleRows(db, orgId)),
  };
}
