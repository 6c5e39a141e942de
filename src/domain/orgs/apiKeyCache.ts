import type { Caller } from "../context.js";

/** The LISTEN/NOTIFY channel a revocation is announced on (PostgreSQL). */
export const API_KEYS_CHANNEL = "leadwire_api_keys";

/**
 * The callers of the live API keys this process has seen, by key hash, so a request does not read
 * its key from the database every time. A revocation empties it at once in the process that
 * revoked, and on PostgreSQL in every other process through a NOTIFY (app.ts listens, and empties
 * it again whenever the listening connection comes back, in case it missed one). An entry also
 * expires after `ttlMs`, the backstop should a notification be lost. Unknown keys are not cached:
 * a key created in another process works at once.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { caller: Caller; expires: number }>();
  /** Moves on at every `clear`, so a read that started before one cannot cache its answer. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  async lookup(hash: string, load: () => Promise<Caller | undefined>): Promise<Caller | undefined> {
    const hit = this.entries.get(hash);
    if (hit !== undefined && hit.expires > this.now()) return hit.caller;
    const generation = this.generation;
    const caller = await load();
    // A revocation that landed while the key was being read must not be undone by this answer.
    if (caller !== undefined && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(hash, { caller, expires: this.now() + this.ttlMs });
    }
    return caller;
  }

  /** Forgets every key: one was revoked somewhere. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
