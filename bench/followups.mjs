// Follow-up throughput: N leads whose step falls due at once, dev sink provider, webhooks to a
// local receiver; time until every follow-up is sent and every message.sent delivered.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createApp } from "../dist/app.js";
import { loadConfig } from "../dist/config.js";
import { seedBuiltInTags } from "../dist/domain/tags/builtInTags.js";
import { newId, newLeadId } from "../dist/ids.js";
import { freshDatabaseEnv, insertBenchEndpoint, insertBenchOrg } from "./webhooks.mjs";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

export async function seed(app, receiverUrl, total) {
  const db = app.database.db;
  const now = new Date(Date.now() - 1000).toISOString();
  // Due tomorrow: the run makes them due at once when the workers are ready.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  const orgId = await insertBenchOrg(db, now);
  await seedBuiltInTags(db, orgId, new Date());
  const settings = {
    followUpWindow: {
      startHour: 0,
      endHour: 24,
      days: [1, 2, 3, 4, 5, 6, 7],
      timeZone: "America/New_York",
      holidays: [],
      applyToInitialOutreach: false,
    },
    quietHours: { enabled: false, startHour: 8, endHour: 21 },
  };
  await db
    .insertInto("settings")
    .values({ org_id: orgId, data: JSON.stringify(settings), updated_at: now })
    .execute();
  const profileId = newId("prf");
  await db
    .insertInto("profiles")
    .values({
      id: profileId,
      org_id: orgId,
      name: "Burst",
      description: null,
      sms_enabled: 1,
      email_enabled: 0,
      voice_enabled: 0,
      initial_message: null,
      initial_subject: null,
      follow_up_config: JSON.stringify({ 1: { hours: 24, channel: "text" } }),
      step_templates: JSON.stringify({ 1: { text: "Hi {{firstName}}, still interested?" } }),
      nurture_template: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  await insertBenchEndpoint(db, orgId, receiverUrl, ["message.sent"], now);
  for (let i = 0; i < total; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(total, i + 1000); j++) {
      rows.push({
        id: newLeadId(),
        org_id: orgId,
        profile_id: profileId,
        first_name: `Lead${j}`,
        last_name: "Bench",
        phone: `+1202${String(2_000_000 + j).padStart(7, "0")}`,
        email: null,
        time_zone: "America/New_York",
        external_lead_id: null,
        additional_info: "{}",
        summary: null,
        has_replied: 0,
        is_hot: 0,
        is_qualified: 0,
        is_unsubscribed: 0,
        is_ai_on: 1,
        follow_up_config: null,
        follow_up_step: 1,
        next_follow_up_at: tomorrow,
        created_at: now,
        updated_at: now,
        last_activity_at: null,
        deleted_at: null,
      });
    }
    await db.insertInto("leads").values(rows).execute();
  }
  return orgId;
}

/** Starts `node dist/main.js start --role worker` and resolves once it logged that it started. */
function startWorker(env) {
  // BENCH_PROFILE: each worker writes a CPU profile of its whole life when it exits.
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  // Launched as the README says to run workers (the heap flag is explained there).
  const child = spawn(
    process.execPath,
    [...profile, "--max-old-space-size=1024", MAIN, "start", "--role", "worker"],
    {
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const started = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.includes('"leadwire started"')) resolve();
    });
    exited.then((code) => reject(new Error(`worker exited with ${code} before starting`)));
  });
  return { child, exited, started };
}

/** The process's peak resident memory so far (Linux: VmHWM), in MB. */
function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/**
 * Follow-ups per second end to end, in `workers` separate worker processes (the real CLI: the
 * scheduler, message sender and webhook dispatcher each run in every one). The leads are seeded
 * first with their step due tomorrow; once the workers are up, one update makes them all due and
 * the clock starts; it stops when the receiver has every message.sent (distinct webhook ids).
 */
export async function followUpThroughput(kind, receiver, total, workers = 1) {
  const database = await freshDatabaseEnv(kind);
  const env = {
    ...database.env,
    LOG_LEVEL: "error",
    PORT: "0",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    WORKER_POLL_INTERVAL_MS: "50",
  };
  const app = await createApp(loadConfig({ ...env, PATH: process.env.PATH }), { role: "api" });
  const orgId = await seed(app, receiver.url, total);
  const procs = Array.from({ length: workers }, () => startWorker({ ...env, LOG_LEVEL: "info" }));
  await Promise.all(procs.map((p) => p.started));
  await receiver.ask("reset");
  await app.database.db
    .updateTable("leads")
    .set({ next_follow_up_at: new Date().toISOString() })
    .where("org_id", "=", orgId)
    .execute();
  const started = performance.now();
  for (;;) {
    const { distinct } = await receiver.ask("count");
    if (distinct >= total) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const rss = procs.map((p) => peakRssMb(p.child.pid));
  for (const p of procs) p.child.kill("SIGTERM");
  await Promise.all(procs.map((p) => p.exited));
  const sent = await app.database.db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("status", "=", "sent")
    .executeTakeFirst();
  await app.close();
  await database.drop();
  return { perSecond: total / seconds, seconds, peakRssMb: Math.max(...rss), sent: Number(sent?.n ?? 0) };
}
