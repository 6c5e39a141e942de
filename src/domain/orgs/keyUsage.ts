import { toIso } from "../../clock.js";
import type { DomainContext } from "../context.js";

/** At most one `lastUsedAt` write per key per minute per process: a busy key must not cost a write per request. */
export const KEY_USAGE_WRITE_INTERVAL_MS = 60_000;

/**
 * Keeps each API key's `lastUsedAt` roughly current without slowing the request that used it:
 * the write is throttled per key and not awaited. Precise to the interval, which is what an
 * operator needs to tell a live key from a forgotten one.
 */
export class KeyUsage {
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly ctx: DomainContext) {}

  touch(keyId: string, onError: (error: unknown) => void): void {
    const now = this.ctx.clock.now();
    const last = this.writtenAt.get(keyId);
    if (last !== undefined && now.getTime() - last < KEY_USAGE_WRITE_INTERVAL_MS) return;
    this.writtenAt.set(keyId, now.getTime());
    const at = toIso(now);
    this.ctx.db
      .updateTable("api_keys")
      .set({ last_used_at: at })
      .where("id", "=", keyId)
      // Another process may have written a later time already.
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
      .execute()
      .catch(onError);
  }
}
