import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, freshDatabase, testBackend } from "./harness.js";
import { type LeadwireProcess, startProcess } from "./processes.js";

const database = freshDatabase();
const running: LeadwireProcess[] = [];

afterAll(async () => {
  for (const p of running) p.child.kill("SIGKILL");
  await database.drop();
});

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      "x-api-key": ADMIN_KEY,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe(`several processes on one ${testBackend()} database`, () => {
  it("start together (migrations and bootstrap key race safely), share data and stop cleanly on SIGTERM", async () => {
    const env = { ...database.env, BOOTSTRAP_API_KEY: ADMIN_KEY };
    const started = await Promise.all([startProcess(env), startProcess(env), startProcess(env)]);
    running.push(...started);
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
    const read = await call(c, "GET", `/v1/leads/${created.body.id}`);
    expect(read.body).toMatchObject({ firstName: "Grace", phone: "+12025550199" });

    const keys = await call(a, "GET", "/v1/api-keys");
    expect((keys.body.apiKeys as unknown[]).length).toBe(1);

    for (const p of started) p.child.kill("SIGTERM");
    expect(await Promise.all(started.map((p) => p.exited))).toEqual([0, 0, 0]);
  });

  it("refuses to start with a clear message when the configuration is invalid", async () => {
    await expect(startProcess({ ...database.env, PORT: "http" })).rejects.toThrow(/PORT/);
  });
});
