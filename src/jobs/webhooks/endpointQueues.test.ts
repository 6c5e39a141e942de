import { describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { EndpointLimiter } from "./endpointLimiter.js";
import { EndpointQueues, QUEUE_ROUNDS } from "./endpointQueues.js";

interface Delivery {
  id: string;
  endpointId: string;
  maxConcurrency: number;
  rateLimitPerSecond: number | null;
}

/** Queues on a clock the test moves by hand, and deliveries of endpoints with given limits. */
function setup() {
  const clock = new ManualClock();
  const nowMs = () => clock.now().getTime();
  const queues = new EndpointQueues<Delivery>(new EndpointLimiter(nowMs), nowMs);
  let n = 0;
  const deliveries = (
    count: number,
    endpointId: string,
    maxConcurrency: number,
    rate: number | null = null,
  ) =>
    Array.from({ length: count }, () => ({
      id: `whd_${++n}`,
      endpointId,
      maxConcurrency,
      rateLimitPerSecond: rate,
    }));
  /** One claim as the dispatcher makes it: the table offered `candidates`; returns what it took. */
  const claim = (candidates: Delivery[], startBy = nowMs() + 1_000) => {
    const excluded = queues.beginClaim();
    const picked = queues.pick(candidates, excluded);
    return { excluded, picked, send: queues.endClaim(picked, startBy) };
  };
  const ids = (list: { id: string }[]) => list.map((d) => d.id);
  return { queues, deliveries, claim, ids, clock, nowMs };
}

describe("EndpointQueues modes", () => {
  it("walk open → claiming → open → stopping → stopped → open", () => {
    const { queues } = setup();
    expect(queues.mode).toBe("open");
    queues.beginClaim();
    expect(queues.mode).toBe("claiming");
    queues.endClaim([], 0);
    expect(queues.mode).toBe("open");
    queues.beginClaim();
    queues.abandonClaim();
    expect(queues.mode).toBe("open");
    queues.stop();
    expect(queues.mode).toBe("stopping");
    expect(queues.handBackAll()).toEqual([]);
    expect(queues.mode).toBe("stopped");
    queues.reopen();
    expect(queues.mode).toBe("open");
  });

  it("refuse every other transition, and leave the mode as it was", () => {
    const { queues } = setup();
    expect(() => queues.endClaim([], 0)).toThrow("endpoint queues: → open while open");
    expect(() => queues.abandonClaim()).toThrow(/while open/);
    expect(() => queues.pick([], [])).toThrow("endpoint queues: pick while open (allowed: claiming)");
    expect(() => queues.handBackAll()).toThrow(/→ stopped while open/);
    expect(() => queues.reopen()).toThrow(/→ open while open/);
    queues.beginClaim();
    // One claim at a time; no stopping in the middle of one.
    expect(() => queues.beginClaim()).toThrow(/→ claiming while claiming/);
    expect(() => queues.stop()).toThrow(/→ stopping while claiming/);
    expect(queues.mode).toBe("claiming");
    queues.endClaim([], 0);
    queues.stop();
    expect(() => queues.beginClaim()).toThrow(/→ claiming while stopping/);
    expect(() => queues.stop()).toThrow(/→ stopping while stopping/);
    queues.handBackAll();
    expect(() => queues.beginClaim()).toThrow(/→ claiming while stopped/);
    expect(queues.mode).toBe("stopped");
  });
});

describe("EndpointQueues", () => {
  it("sends what has a free slot at once, queues the rest, and starts the next as each answer comes in", () => {
    const { queues, deliveries, claim, ids } = setup();
    const batch = deliveries(4, "whe_a", 2);
    const { picked, send } = claim(batch);
    expect(ids(picked)).toEqual(ids(batch));
    expect(ids(send)).toEqual(["whd_1", "whd_2"]);
    expect(queues.size).toBe(2);
    expect(ids(queues.finished("whe_a").send)).toEqual(["whd_3"]);
    expect(ids(queues.finished("whe_a").send)).toEqual(["whd_4"]);
    expect(queues.size).toBe(0);
    expect(queues.finished("whe_a").send).toEqual([]);
  });

  it("takes per endpoint no more than its free slots plus QUEUE_ROUNDS rounds of its concurrency", () => {
    const { queues, deliveries, claim, ids } = setup();
    const room = 1 + 1 * QUEUE_ROUNDS;
    const full = deliveries(room + 3, "whe_busy", 1);
    const other = deliveries(2, "whe_idle", 5);
    const { picked } = claim([...full, ...other]);
    expect(ids(picked)).toEqual(ids([...full.slice(0, room), ...other]));
    // The busy endpoint has no room left: the next claim leaves it out altogether.
    expect(claim([]).excluded).toEqual(["whe_busy"]);
    expect(queues.size).toBe(QUEUE_ROUNDS);
  });

  it("skips a claim that could only step over full endpoints, until one of them has room", () => {
    const { queues, deliveries, claim } = setup();
    claim(deliveries(1 + QUEUE_ROUNDS + 1, "whe_a", 1));
    // New work is what the last claim looked for; the backlog endpoint is full.
    expect(queues.worthClaiming()).toBe(false);
    // Its own new deliveries change nothing: it could take none of them.
    queues.noteDue(["whe_a"]);
    expect(queues.worthClaiming()).toBe(false);
    queues.finished("whe_a");
    expect(queues.worthClaiming()).toBe(true);
  });

  it("counts a wake-up as new work when it names an endpoint with room, an unknown one, or none", () => {
    const { queues, deliveries, claim } = setup();
    claim(deliveries(1 + QUEUE_ROUNDS + 1, "whe_a", 1));
    expect(queues.worthClaiming()).toBe(false);
    queues.noteDue(["whe_a", "whe_new"]);
    expect(queues.worthClaiming()).toBe(true);
    claim([]);
    expect(queues.worthClaiming()).toBe(false);
    queues.noteDue();
    expect(queues.worthClaiming()).toBe(true);
  });

  it("counts any wake-up during a claim as new work: the claim may have read before that commit", () => {
    const { queues, deliveries, claim } = setup();
    claim(deliveries(1 + QUEUE_ROUNDS + 1, "whe_a", 1));
    const excluded = queues.beginClaim();
    queues.noteDue(["whe_a"]);
    queues.endClaim(queues.pick([], excluded), 0);
    expect(queues.worthClaiming()).toBe(true);
  });

  it("keeps the backlog of an endpoint a claim left out, and drops that of one it found empty", () => {
    const { queues, deliveries, claim } = setup();
    claim([
      ...deliveries(1 + QUEUE_ROUNDS + 1, "whe_a", 1),
      ...deliveries(2 + 2 * QUEUE_ROUNDS + 1, "whe_b", 2),
    ]);
    queues.finished("whe_b");
    // whe_a is still full and left out (its backlog stays); whe_b had room and nothing came.
    expect(claim([]).excluded).toEqual(["whe_a"]);
    expect(queues.worthClaiming()).toBe(false);
  });

  it("hands back a waiting delivery whose lease could run out during its request, and asks for a claim", () => {
    const { queues, deliveries, claim, ids, clock, nowMs } = setup();
    const batch = deliveries(3, "whe_a", 1);
    claim(batch.slice(0, 1));
    claim(batch.slice(1), nowMs() + 500);
    claim([]);
    clock.advance(501);
    const moves = queues.finished("whe_a");
    expect(moves).toEqual({ send: [], handBack: ["whd_2", "whd_3"], claimSoon: true });
    expect(queues.size).toBe(0);
    expect(queues.worthClaiming()).toBe(true);
    expect(ids(queues.finished("whe_a").send)).toEqual([]);
  });

  it("asks for the next claim once, when a backlogged endpoint's queue drains past half", () => {
    const { queues, deliveries, claim } = setup();
    // Concurrency 2: 2 sent, 8 waiting, and more in the table (backlogged).
    claim(deliveries(2 + 2 * QUEUE_ROUNDS + 1, "whe_a", 2));
    const waiting = 2 * QUEUE_ROUNDS;
    const asked = Array.from({ length: waiting }, () => queues.finished("whe_a").claimSoon);
    expect(asked.filter(Boolean)).toHaveLength(1);
    // The answer that leaves half the queue waiting: the one after which `waiting / 2` remain.
    expect(asked.indexOf(true)).toBe(waiting / 2 - 1);
  });

  it("does not ask for a claim while draining an endpoint with nothing more in the table", () => {
    const { queues, deliveries, claim } = setup();
    claim(deliveries(2 + 2 * QUEUE_ROUNDS, "whe_a", 2));
    for (let i = 0; i < 2 * QUEUE_ROUNDS; i++) expect(queues.finished("whe_a").claimSoon).toBe(false);
  });

  it("starts waiting deliveries of a rate-limited endpoint as its tokens refill", () => {
    const { queues, deliveries, claim, ids, clock, nowMs } = setup();
    const { send } = claim(deliveries(4, "whe_a", 10, 2), nowMs() + 10_000);
    expect(ids(send)).toEqual(["whd_1", "whd_2"]);
    expect(ids(queues.startWaiting().send)).toEqual([]);
    clock.advance(500);
    expect(ids(queues.startWaiting().send)).toEqual(["whd_3"]);
    clock.advance(500);
    expect(ids(queues.startWaiting("whe_a").send)).toEqual(["whd_4"]);
  });

  it("starts nothing once stopping, and hands back everything still waiting", () => {
    const { queues, deliveries, claim, ids } = setup();
    claim(deliveries(3, "whe_a", 1));
    queues.stop();
    expect(queues.finished("whe_a").send).toEqual([]);
    expect(queues.startWaiting().send).toEqual([]);
    expect(queues.handBackAll()).toEqual(["whd_2", "whd_3"]);
    expect(queues.size).toBe(0);
    queues.reopen();
    expect(ids(claim(deliveries(1, "whe_a", 1)).send)).toEqual(["whd_4"]);
  });
});
