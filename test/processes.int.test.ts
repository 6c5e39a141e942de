import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ADMIN_KEY, freshDatabase, testBackend } from "./harness.js";
import {
  type LeadwireProcess,
  START_TIMEOUT_MS,
  STOP_TIMEOUT_MS,
  startProcess,
  stopProcess,
} from "./processes.js";

/**
 * Real processes on a shared, possibly loaded machine: nothing here is timed, each step waits
 * for its condition (a log line, an exit), and the limits are only there to turn a hang into a
 * failure that says what the process printed. The test's own limit is above them all: the
 * (concurrent) starts, a minute for the requests, the (concurrent) stops.
 */
const TEST_TIMEOUT_MS = START_TIMEOUT_MS + 60_000 + STOP_TIMEOUT_MS;

const database = freshDatabase();
const running: LeadwireProcess[] = [];

afterAll(async () => {
  // Stopped before the database goes, so that no connection holds it.
  await Promise.allSettled(running.map((p) => stopProcess(p, "SIGKILL")));
  await database.drop();
}, STOP_TIMEOUT_MS + 30_000);

/** Starts one, remembered at once so that afterAll stops it whatever happens next. */
async function start(env: Record<string, string>): Promise<LeadwireProcess> {
  const p = await startProcess(env);
  running.push(p);
  return p;
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      "x-api-key": ADMIN_KEY,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json();
  return { status: res.status, body: json };
}

describe(`several processes on one ${testBackend()} database`, () => {
  it(
    "start together (migrations and bootstrap key race safely), share data and stop cleanly on SIGTERM",
    async () => {
      const env = { ...database.env, BOOTSTRAP_API_KEY: ADMIN_KEY };
      const starts = await Promise.allSettled([start(env), start(env), start(env)]);
      const failed = starts.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
      expect(failed, "every process starts").toEqual([]);
      const started = starts.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const urls = started.map((p) => p.url ?? "");
      for (const url of urls) {
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(200);
      }
      const [a = "", b = "", c = ""] = urls;
      expect((await call(a, "POST", "/v1/profiles", { name: "Shared" })).status).toBe(201);
      const created = await call(b, "POST", "/v1/leads/create", {
        firstName: "Grace",
        lastName: "Hopper",
        phone: "+1 202 555 0199",
        customerProfile: "Shared",
      });
      expect(created.status).toBe(200);
      const { id } = z.object({ id: z.string() }).parse(created.body);
      const read = await call(c, "GET", `/v1/leads/${id}`);
      expect(read.body).toMatchObject({ firstName: "Grace", phone: "+12025550199" });

      const keys = await call(a, "GET", "/v1/api-keys");
      expect(z.object({ apiKeys: z.array(z.unknown()) }).parse(keys.body).apiKeys.length).toBe(1);

      expect(await Promise.all(started.map((p) => stopProcess(p, "SIGTERM")))).toEqual([0, 0, 0]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "refuses to start with a clear message when the configuration is invalid",
    async () => {
      await expect(startProcess({ ...database.env, PORT: "http" })).rejects.toThrow(/PORT/);
    },
    START_TIMEOUT_MS + 10_000,
  );
});
