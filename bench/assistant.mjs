// The assistant's cost: a burst of inbound messages read by one worker with the rules brain
// (intent, tags, notifications, summary, extraction, the reply written, checked and queued).
import { createApp } from "../dist/app.js";
import { loadConfig } from "../dist/config.js";
import { receiveEmail } from "../dist/domain/messages/receiveEmail.js";
import { seedBuiltInTags } from "../dist/domain/tags/builtInTags.js";
import { newId, newLeadId } from "../dist/ids.js";
import { freshDatabaseEnv, insertBenchOrg } from "./webhooks.mjs";

// Real-sounding replies, one of each kind the brain must tell apart.
const REPLIES = [
  "How much would a 6kW system cost for a 2,000 sq ft house?",
  "yes still interested, my budget is around $20k",
  "Can you call me tomorrow after 5?",
  "no thanks, we went with another company",
  "please stop texting me, email is fine",
  "wrong number, I don't know any Taylor",
  "ok thanks",
  "don't stop, I'm interested! what's next?",
];

export async function assistantBurst(kind, total) {
  const database = await freshDatabaseEnv(kind);
  const config = loadConfig({
    ...database.env,
    LOG_LEVEL: "silent",
    PORT: "0",
    API_RATE_LIMIT_PER_MINUTE: "0",
  });
  // The api role starts no workers: the burst waits until the run starts the one worker measured.
  const app = await createApp(config, { role: "api" });
  const db = app.database.db;
  const now = new Date().toISOString();
  const orgId = await insertBenchOrg(db, now);
  await seedBuiltInTags(db, orgId, new Date());
  const profileId = newId("prf");
  await db
    .insertInto("profiles")
    .values({
      id: profileId,
      org_id: orgId,
      name: "Solar",
      description: "Sunny Solar installs rooftop solar panels for homeowners in Austin.",
      sms_enabled: 1,
      email_enabled: 1,
      voice_enabled: 0,
      initial_message: null,
      initial_subject: null,
      follow_up_config: JSON.stringify({ 1: { hours: 24, channel: "email" } }),
      step_templates: "{}",
      nurture_template: null,
      instructions: "Friendly and brief. When are you hoping to install?",
      booking_url: "https://cal.example.com/sunny",
      extract_keys: JSON.stringify(["budget"]),
      max_sms_length: 320,
      initial_outreach: 0,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
  await db
    .insertInto("tags")
    .values({
      id: newId("tag"),
      org_id: orgId,
      name: "pricing",
      color: null,
      condition: "price, cost, how much",
      is_manual: 0,
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
        phone: `+1512${String(2_000_000 + j).padStart(7, "0")}`,
        email: `lead${j}@example.com`,
        time_zone: "America/Chicago",
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
        next_follow_up_at: null,
        created_at: now,
        updated_at: now,
        last_activity_at: null,
        deleted_at: null,
      });
    }
    await db.insertInto("leads").values(rows).execute();
  }
  const { inbound_token: token } = await db
    .selectFrom("orgs")
    .select("inbound_token")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  for (let j = 0; j < total; j++) {
    await receiveEmail(app.ctx, token, {
      from: `lead${j}@example.com`,
      to: "in@leadwire.test",
      subject: "Re: solar",
      text: REPLIES[j % REPLIES.length],
    });
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const handled = await app.assistant.runDue();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const replies = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("reply_to_id", "is not", null)
    .executeTakeFirstOrThrow();
  const peakRssMb = Math.round(process.memoryUsage().rss / 1048576);
  await app.close();
  await database.drop();
  return {
    handled,
    replies: Number(replies.n),
    perSecond: handled / seconds,
    seconds,
    cpuUsPerJob: (cpu.user + cpu.system) / handled,
    peakRssMb,
  };
}
