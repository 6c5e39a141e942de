import type { Candidate } from "./claimDeliveries.js";
import type { EndpointLimiter } from "./endpointLimiter.js";

/** Rounds of an endpoint's concurrency that may wait claimed in this process. */
export const QUEUE_ROUNDS = 4;

/**
 * Where the queues stand. Each method that moves between modes, or belongs to one, asserts the
 * mode it is called in and throws in any other: a bug in the caller, never a state to carry on from.
 *
 * - `open`: no claim under way. Queued deliveries start as their endpoint's slots free.
 * - `claiming`: one claim is reading the table. A wake-up now counts as new work whatever the
 *   backlog says (the claim may have read before that commit), and the claim's pick sets the backlog.
 * - `stopping`: the dispatcher stopped claiming. Requests in flight finish, but nothing queued
 *   starts any more: it is all handed back once they are recorded.
 * - `stopped`: the queue was handed back and is empty; only `reopen` leads on.
 *
 *   open ⇄ claiming;  open → stopping → stopped → open
 */
export type QueueMode = "open" | "claiming" | "stopping" | "stopped";

/** What the queues hold of a delivery. */
export interface Queueable {
  id: string;
  endpointId: string;
}

/** What the dispatcher is to do after the queues moved: send, hand back, and perhaps claim soon. */
export interface QueueMoves<D> {
  /** Start these now: their endpoint's slot is taken already. */
  send: D[];
  /** Ids whose lease could run out during their request: hand them back to the table. */
  handBack: string[];
  /** A claim is worth making now rather than at the next wake-up or poll. */
  claimSoon: boolean;
}

interface Waiting<D> {
  delivery: D;
  /** Clock time (ms) after which starting it could outlive its lease. */
  startBy: number;
}

/**
 * The per-endpoint prefetch queues and backlog of one dispatcher, with no I/O: claimed deliveries
 * wait here for a free slot of their endpoint, up to `QUEUE_ROUNDS` rounds of its concurrency, so
 * a response starts the next request at once without a database round trip, and claims are large.
 * A delivery that waited so long that its lease could end during its request is handed back
 * instead of sent. The backlog remembers which endpoints still have due deliveries in the table
 * that a claim had to leave, so a claim is made only when it could take something.
 */
export class EndpointQueues<D extends Queueable> {
  private current: QueueMode = "open";
  private readonly waiting = new Map<string, Waiting<D>[]>();
  private count = 0;
  /**
   * Endpoints whose due deliveries the last claim had to leave for lack of room: a response from
   * one of them is worth a new claim; other responses are not (the claim would find nothing).
   */
  private backlogged = new Set<string>();
  /** Set by wake-ups and polls: something new may be due, whatever the backlog says. */
  private newWork = true;
  /**
   * Endpoints that may have due deliveries in the table that no claim has read since (`all`:
   * any endpoint). New deliveries of theirs are not taken as they are written (handoff), or
   * they would overtake the older ones waiting for a claim, for as long as new ones keep coming.
   */
  private unread: { all: boolean; ids: Set<string> } = { all: true, ids: new Set() };
  /** What the claim under way is to read: `unread` as it began, and the most it reads. */
  private claiming:
    | { unread: { all: boolean; ids: Set<string> }; limit: number; sawAll: boolean }
    | undefined;

  constructor(
    private readonly limiter: EndpointLimiter,
    /** The clock `startBy` times are read on. */
    private readonly nowMs: () => number,
  ) {}

  get mode(): QueueMode {
    return this.current;
  }

  /** Deliveries waiting, all endpoints together. */
  get size(): number {
    return this.count;
  }

  private expect(allowed: readonly QueueMode[], what: string): void {
    if (!allowed.includes(this.current))
      throw new Error(`endpoint queues: ${what} while ${this.current} (allowed: ${allowed.join(", ")})`);
  }

  private move(from: readonly QueueMode[], to: QueueMode): void {
    this.expect(from, `→ ${to}`);
    this.current = to;
  }

  /**
   * Something may be due. `endpointIds` names the endpoints that got deliveries, when known: if
   * this process already holds as many of theirs as it may, a claim could only step over them,
   * so they join the backlog (claimed as soon as a slot frees) instead of counting as new work.
   */
  noteDue(endpointIds?: readonly string[]): void {
    if (endpointIds === undefined) this.unread.all = true;
    else for (const id of endpointIds) this.unread.ids.add(id);
    const mayMatter =
      endpointIds === undefined ||
      this.current === "claiming" ||
      endpointIds.some((id) => !this.limiter.knows(id) || this.room(id) > 0);
    if (mayMatter) this.newWork = true;
    else for (const id of endpointIds) this.backlogged.add(id);
  }

  /** How many more deliveries of this endpoint this process can take: free slots plus queue room. */
  private room(endpointId: string): number {
    const max = this.limiter.maxConcurrency(endpointId);
    const waiting = this.waiting.get(endpointId)?.length ?? 0;
    return this.limiter.freeSlots(endpointId) + Math.max(0, max * QUEUE_ROUNDS - waiting);
  }

  /** False when a claim could only come back empty: no news and every backlogged endpoint still full. */
  worthClaiming(): boolean {
    if (this.newWork || this.backlogged.size === 0) return true;
    return [...this.backlogged].some((id) => this.room(id) > 0);
  }

  /**
   * open → claiming, for a claim that reads at most `limit` candidates. Returns the endpoints
   * the claim must leave out: they have no room.
   */
  beginClaim(limit = Number.POSITIVE_INFINITY): string[] {
    this.move(["open"], "claiming");
    this.newWork = false;
    this.claiming = { unread: this.unread, limit, sawAll: false };
    this.unread = { all: false, ids: new Set() };
    return this.limiter.known().filter((id) => this.room(id) === 0);
  }

  /**
   * The candidates the claim may take: as many of each endpoint as it has room for. Endpoints it
   * had to leave some of, and those `excluded` from the claim that were backlogged (the claim
   * could not see theirs), make the new backlog.
   */
  pick<C extends Candidate>(candidates: C[], excluded: readonly string[]): C[] {
    this.expect(["claiming"], "pick");
    if (this.claiming !== undefined) {
      this.claiming.sawAll = candidates.length < this.claiming.limit;
      // The claim did not read the endpoints it left out: whatever was unread of theirs still is.
      for (const id of excluded)
        if (this.claiming.unread.all || this.claiming.unread.ids.has(id)) this.unread.ids.add(id);
    }
    const taken = new Map<string, number>();
    const backlogged = new Set(excluded.filter((id) => this.backlogged.has(id)));
    const picked = candidates.filter((d) => {
      this.limiter.learn(d.endpointId, d.maxConcurrency, d.rateLimitPerSecond);
      const count = taken.get(d.endpointId) ?? 0;
      if (count >= this.room(d.endpointId)) {
        backlogged.add(d.endpointId);
        return false;
      }
      taken.set(d.endpointId, count + 1);
      return true;
    });
    this.backlogged = backlogged;
    return picked;
  }

  /**
   * claiming → open, with what the claim took: those with a free slot are returned to send now
   * (their slot taken), the others wait here until `startBy` at the latest.
   */
  endClaim(claimed: readonly D[], startBy: number): D[] {
    this.move(["claiming"], "open");
    // A claim that read its limit may have left due deliveries of any endpoint behind.
    if (this.claiming !== undefined && !this.claiming.sawAll) this.unread.all = true;
    this.claiming = undefined;
    const send: D[] = [];
    for (const delivery of claimed) this.sendOrQueue(delivery, startBy, send);
    return send;
  }

  /** A delivery this process holds: into `send` with its slot taken, or to wait until `startBy`. */
  private sendOrQueue(delivery: D, startBy: number, send: D[]): void {
    if (this.limiter.freeSlots(delivery.endpointId) > 0) {
      this.limiter.acquire(delivery.endpointId);
      send.push(delivery);
      return;
    }
    const queue = this.waiting.get(delivery.endpointId) ?? [];
    queue.push({ delivery, startBy });
    this.waiting.set(delivery.endpointId, queue);
    this.count++;
  }

  /**
   * How many new deliveries of each endpoint this process takes as they are written (handoff:
   * domain/webhooks/handoff.ts), and of an endpoint it does not know; undefined when it takes
   * none: stopping, or due deliveries of any endpoint may wait unread in the table. An endpoint
   * that may have some, or whose due deliveries a claim had to leave, gets none: its older ones
   * go first, by claims.
   */
  handoffRoom(defaultRoom: number): { room: Record<string, number>; defaultRoom: number } | undefined {
    if ((this.current !== "open" && this.current !== "claiming") || this.unread.all) return undefined;
    const room: Record<string, number> = {};
    for (const id of this.limiter.known()) room[id] = this.backlogged.has(id) ? 0 : this.room(id);
    for (const id of this.unread.ids) room[id] = 0;
    return { room, defaultRoom };
  }

  /**
   * Deliveries written claimed for this process as they were made (in any mode but a claim's
   * own): those with a free slot are returned to send now, the others wait like claimed ones.
   * Once stopping they are handed back at once.
   */
  handedOff(deliveries: readonly (D & Candidate)[], startBy: number): QueueMoves<D> {
    const moves: QueueMoves<D> = { send: [], handBack: [], claimSoon: false };
    for (const delivery of deliveries) {
      if (this.current === "stopping" || this.current === "stopped") {
        moves.handBack.push(delivery.id);
        continue;
      }
      this.limiter.learn(delivery.endpointId, delivery.maxConcurrency, delivery.rateLimitPerSecond);
      this.sendOrQueue(delivery, startBy, moves.send);
    }
    return moves;
  }

  /** claiming → open, with nothing claimed: the claim failed. */
  abandonClaim(): void {
    this.move(["claiming"], "open");
    if (this.claiming !== undefined) {
      this.unread.all ||= this.claiming.unread.all;
      for (const id of this.claiming.unread.ids) this.unread.ids.add(id);
    }
    this.claiming = undefined;
  }

  /** A request of this endpoint is answered: its slot is free, and may go to one waiting. */
  finished(endpointId: string): QueueMoves<D> {
    this.limiter.release(endpointId);
    return this.startWaiting(endpointId);
  }

  /**
   * Starts waiting deliveries whose endpoint has a free slot (after a response or a token refill),
   * of one endpoint or of all; does nothing once stopping.
   */
  startWaiting(endpointId?: string): QueueMoves<D> {
    const moves: QueueMoves<D> = { send: [], handBack: [], claimSoon: false };
    if (this.current === "stopping" || this.current === "stopped") return moves;
    const ids = endpointId === undefined ? [...this.waiting.keys()] : [endpointId];
    const now = this.waiting.size > 0 ? this.nowMs() : 0;
    for (const id of ids) {
      const queue = this.waiting.get(id) ?? [];
      const before = queue.length;
      while (queue.length > 0 && this.limiter.freeSlots(id) > 0) {
        const next = queue.shift();
        if (next === undefined) break;
        this.count--;
        // Sending it now could overlap another worker's claim once the lease ends: hand it back.
        if (now > next.startBy) moves.handBack.push(next.delivery.id);
        else {
          this.limiter.acquire(id);
          moves.send.push(next.delivery);
        }
      }
      if (queue.length === 0) this.waiting.delete(id);
      // Crossing half the queue: claim the next round while the rest is still being sent
      // (once per crossing, not once per response).
      const half = Math.floor((this.limiter.maxConcurrency(id) * QUEUE_ROUNDS) / 2);
      if (this.backlogged.has(id) && before > half && queue.length <= half) moves.claimSoon = true;
    }
    if (moves.handBack.length > 0) {
      // Their deliveries are due again at once: look for them, whatever the backlog says.
      this.newWork = true;
      moves.claimSoon = true;
    }
    return moves;
  }

  /** open → stopping: nothing waiting starts any more. */
  stop(): void {
    this.move(["open"], "stopping");
  }

  /** stopping → stopped. Returns the ids of every delivery still waiting, to hand back. */
  handBackAll(): string[] {
    this.move(["stopping"], "stopped");
    const ids = [...this.waiting.values()].flat().map((w) => w.delivery.id);
    this.waiting.clear();
    this.count = 0;
    return ids;
  }

  /** stopped → open: the dispatcher starts again. */
  reopen(): void {
    this.move(["stopped"], "open");
    this.newWork = true;
  }
}
