import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, freshDatabase } from "./harness.js";
import { type LeadwireProcess, startProcess } from "./processes.js";

/**
 * A client tailing the sync listings the way integrations do (resume from the newest timestamp
 * seen, inclusive, dropping ids already seen; page with nextToken inside one poll) while many
 * writers commit in parallel through two API processes. Before positions came from the org's
 * sync clock, timestamps were taken before commit and transactions committed out of order, so
 * such a client skipped rows.
 */
const WRITERS = 32;
const PATCHES_PER_WRITER = 30;
const LEADS = 16;

const database = freshDatabase();
const servers: LeadwireProcess[] = [];
const leadIds: string[] = [];

async function call(server: number, method: string, path: string, body?: unknown) {
  const base = servers[server % servers.length]?.url ?? "";
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      "x-api-key": ADMIN_KEY,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as unknown };
}

beforeAll(async () => {
  // The reader polls as fast as it can: no rate limit in its way.
  const env = { ...database.env, BOOTSTRAP_API_KEY: ADMIN_KEY, API_RATE_LIMIT_PER_MINUTE: "0" };
  servers.push(await startProcess(env));
  servers.push(await startProcess(env));
  expect((await call(0, "POST", "/v1/profiles", { name: "Tail" })).status).toBe(201);
  // Subscribed, as integrators are: fan-out runs in every writing transaction, as in production.
  // No worker runs here, so the (public, literal) address is never called.
  const endpoint = await call(0, "POST", "/v1/webhooks/endpoints", {
    url: "https://93.184.215.14/hook",
    events: ["*"],
  });
  expect(endpoint.status, endpoint.text).toBe(201);
  for (let i = 0; i < LEADS; i++) {
    const res = await call(i, "POST", "/v1/leads/create", {
      firstName: "T",
      lastName: `${i}`,
      phone: `+1 415 555 ${1000 + i}`,
      customerProfile: "Tail",
    });
    expect(res.status, res.text).toBe(200);
    leadIds.push((res.body as { id: string }).id);
  }
}, 60_000);
afterAll(async () => {
  for (const server of servers) server.child.kill("SIGKILL");
  await Promise.all(servers.map((server) => server.exited));
  await database.drop();
});

interface Page<T> {
  items: T[];
  nextToken: string | null;
}

/** One poll: every page from `since`, following nextToken to the end. */
async function poll<T>(fetchPage: (token: string | null) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | null = null;
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.nextToken;
  } while (token !== null);
  return all;
}

interface Tailer<T> {
  seen: Map<string, T>;
  outOfOrder: number;
  /** One poll from the newest time seen; returns how many new rows it brought. */
  step(): Promise<number>;
}

function tailer<T extends { id: string }>(
  timeOf: (row: T) => string,
  versionOf: (row: T) => string,
  fetchPage: (since: string, token: string | null) => Promise<Page<T>>,
): Tailer<T> {
  let since = "2000-01-01T00:00:00.000Z";
  const versions = new Set<string>();
  const state: Tailer<T> = {
    seen: new Map(),
    outOfOrder: 0,
    async step() {
      const rows = await poll((token) => fetchPage(since, token));
      let fresh = 0;
      for (const row of rows) {
        const version = versionOf(row);
        if (versions.has(version)) continue;
        versions.add(version);
        fresh++;
        // A new row (or a new version of one) older than what we resumed from was committed late.
        if (timeOf(row) < since) state.outOfOrder++;
        state.seen.set(row.id, row);
      }
      for (const row of rows) if (timeOf(row) > since) since = timeOf(row);
      return fresh;
    },
  };
  return state;
}

interface EventRow {
  id: string;
  createdAt: string;
}
interface LeadRow {
  id: string;
  updatedAt: string;
  additionalInfo: Record<string, unknown>;
}

describe("tailing the sync listings while writers race", () => {
  it("misses no event and no lead change, and never sees one out of order", {
    timeout: 300_000,
  }, async () => {
    const events = tailer<EventRow>(
      (e) => e.createdAt,
      (e) => e.id,
      async (since, token) => {
        const query = token === null ? `since=${since}` : `since=${since}&nextToken=${token}`;
        const res = await call(0, "GET", `/v1/events?${query}&limit=50`);
        expect(res.status, res.text).toBe(200);
        const body = res.body as { events: EventRow[]; nextToken: string | null };
        return { items: body.events, nextToken: body.nextToken };
      },
    );
    const leads = tailer<LeadRow>(
      (l) => l.updatedAt,
      (l) => `${l.id}@${JSON.stringify(l.additionalInfo)}`,
      async (since, token) => {
        const query = token === null ? `updatedSince=${since}` : `updatedSince=${since}&nextToken=${token}`;
        const res = await call(1, "GET", `/v1/leads?${query}&limit=5`);
        expect(res.status, res.text).toBe(200);
        const body = res.body as { leads: LeadRow[]; nextToken: string | null };
        return { items: body.leads, nextToken: body.nextToken };
      },
    );

    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PATCHES_PER_WRITER; i++) {
        const leadId = leadIds[(w + i) % LEADS] ?? "";
        const res = await call(w, "PATCH", `/v1/leads/${leadId}`, { additionalInfo: { [`w${w}`]: i } });
        expect(res.status, res.text).toBe(200);
      }
    });
    const reader = (async () => {
      while (writing) {
        await events.step();
        await leads.step();
      }
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    // Writers are done: a last poll brings whatever committed after the reader's previous one.
    await events.step();
    await leads.step();

    // Every event, listed once more from the beginning now that nothing is being written.
    const everything = await poll(async (token) => {
      const res = await call(
        0,
        "GET",
        `/v1/events?type=lead.additionalInfo.updated&limit=1000${token ? `&nextToken=${token}` : ""}`,
      );
      const body = res.body as { events: EventRow[]; nextToken: string | null };
      return { items: body.events, nextToken: body.nextToken };
    });
    const stored = everything;
    expect(stored).toHaveLength(WRITERS * PATCHES_PER_WRITER);
    const missedEvents = stored.filter((e) => !events.seen.has(e.id)).length;
    console.log(
      `sync tail: ${stored.length} events, ${events.seen.size} seen, ${missedEvents} missed, ` +
        `${events.outOfOrder} out of order; leads out of order ${leads.outOfOrder}`,
    );
    expect(missedEvents).toBe(0);
    expect(events.outOfOrder).toBe(0);

    // The last version of every lead the tailer holds is the lead as stored: no change skipped.
    expect(leads.outOfOrder).toBe(0);
    for (const id of leadIds) {
      const current = (await call(0, "GET", `/v1/leads/${id}`)).body as LeadRow;
      expect(leads.seen.get(id)).toEqual(current);
    }
  });
});
