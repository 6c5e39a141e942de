// Follow-up throughput: N leads whose step falls due at once, dev sink provider, webhooks to a
// local receiver; time until every follow-up is sent and every message.sent delivered.
import { randomBytes } from "node:crypto";
import { createApp } from "../dist/app.js";
import { loadConfig } from "../dist/config.js";
import { seedBuiltInTags } from "../dist/domain/tags/builtInTags.js";
import { newId, newLeadId } from "../dist/ids.js";
import { startProfile } from "./profile.mjs";
import { freshDatabaseEnv } from "./webhooks.mjs";

export async function seed(app, receiverUrl, total) {
  const db = app.database.db;
  const now = new Date(Date.now() - 1000).toISOString();
  const orgId = newId("org");
  await db
    .insertInto("orgs")
    .values({
      id: orgId,
      name: "bench",
      lead_limit: null,
      inbound_token: randomBytes(8).toString("hex"),
      created_at: now,
    })
    .execute();
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
  await db
    .insertInto("webhook_endpoints")
    .values({
      id: newId("whe"),
      org_id: orgId,
      url: receiverUrl,
      description: null,
      events: '["message.sent"]',
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      previous_secret: null,
      previous_secret_expires_at: null,
      enabled: 1,
      disabled_reason: null,
      disabled_at: null,
      max_concurrency: 50,
      rate_limit_per_second: null,
      failing_since: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
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
        next_follow_up_at: now,
        created_at: now,
        updated_at: now,
        last_activity_at: null,
        deleted_at: null,
      });
    }
    await db.insertInto("leads").values(rows).execute();
  }
}

/** Follow-ups per second end to end in one process (the dispatcher, sender and scheduler together). */
export async function followUpThroughput(kind, receiver, total) {
  const database = await freshDatabaseEnv(kind);
  const config = loadConfig({
    ...database.env,
    LOG_LEVEL: "error",
    PORT: "0",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    WORKER_POLL_INTERVAL_MS: "50",
    PATH: process.env.PATH,
  });
  const app = await createApp(config, { role: "all" });
  await seed(app, receiver.url, total);
  await receiver.ask("reset");
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const stopProfile = await startProfile();
  const started = performance.now();
  app.followUps.start();
  app.messages.start();
  app.webhooks.start();
  for (;;) {
    const { count } = await receiver.ask("count");
    if (count >= total) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await stopProfile(`followups-${kind}`);
  clearInterval(sampler);
  const sent = await app.database.db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("status", "=", "sent")
    .executeTakeFirst();
  await app.close();
  await database.drop();
  return {
    perSecond: total / seconds,
    seconds,
    peakRssMb: Math.round(peakRss / 1048576),
    sent: Number(sent?.n ?? 0),
  };
}
