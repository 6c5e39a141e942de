// The peer's API process: what a Node.js team would build instead of Leadwire. Fastify; the change
// in SQLite (better-sqlite3, WAL) or PostgreSQL (pg pool); then, after the commit, one BullMQ job
// per (event, subscribed endpoint) on Redis. worker.mjs, in another process, signs and POSTs them.
//
// Environment: PEER_DATABASE_URL (sqlite:<file> | postgres://…), PEER_DATABASE_SCHEMA,
// PEER_REDIS_URL (default redis://127.0.0.1:6379), PEER_QUEUE, PEER_PREFIX (BullMQ key prefix),
// PEER_API_KEY (ensured as the key of org `default`), PEER_SMS_FROM (a number org `default` texts
// from), TWILIO_AUTH_TOKEN and PUBLIC_URL (inbound SMS signatures), PORT (0: any), HOST.
// Prints one JSON line {"msg":"listening","port":…} when it is ready.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { Queue } from "bullmq";
import Fastify from "fastify";
import { Redis } from "ioredis";
import { ConflictError, openStore } from "./store.mjs";

const env = process.env;
const QUEUE = env.PEER_QUEUE ?? "webhooks";
const PREFIX = env.PEER_PREFIX ?? "bull";
const PUBLIC_URL = env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`;
const TWILIO_AUTH_TOKEN = env.TWILIO_AUTH_TOKEN ?? "";
const CACHE_MS = 30_000;

const store = await openStore(10);
const redis = new Redis(env.PEER_REDIS_URL ?? "redis://127.0.0.1:6379");
const queue = new Queue(QUEUE, {
  connection: redis,
  prefix: PREFIX,
  defaultJobOptions: {
    attempts: 8,
    backoff: { type: "exponential", delay: 5000 },
    removeOnComplete: true,
    removeOnFail: 1000,
  },
});
await queue.waitUntilReady();

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
if (env.PEER_API_KEY) await store.insertKey(sha256(env.PEER_API_KEY), "default");
if (env.PEER_SMS_FROM) await store.insertSender(env.PEER_SMS_FROM, "default");

/** A small TTL cache, as a team would put in front of lookups made on every request. */
function cached(load) {
  const entries = new Map();
  const get = async (key) => {
    const hit = entries.get(key);
    if (hit !== undefined && hit.until > Date.now()) return hit.value;
    const value = await load(key);
    if (entries.size > 10_000) entries.clear();
    entries.set(key, { value, until: Date.now() + CACHE_MS });
    return value;
  };
  get.forget = (key) => entries.delete(key);
  return get;
}
const orgOfKey = cached((hash) => store.orgOfKey(hash));
const endpointsOf = cached((orgId) => store.endpointsOf(orgId));

const envelopeTime = () => `${new Date().toISOString().slice(0, 19)}Z`;

/** One job per enabled endpoint subscribed to `type`, added after the change committed. */
async function emit(orgId, type, data) {
  const endpoints = (await endpointsOf(orgId)).filter(
    (e) => e.events.includes("*") || e.events.includes(type),
  );
  if (endpoints.length === 0) return;
  const eventId = randomBytes(16).toString("hex");
  const body = JSON.stringify(
    type === "lead.additionalInfo.updated"
      ? { event: type, eventId, data, timestamp: envelopeTime() }
      : { event: type, data, timestamp: envelopeTime() },
  );
  const jobs = endpoints.map((e) => ({ name: type, data: { endpointId: e.id, url: e.url, eventId, body } }));
  if (jobs.length === 1) await queue.add(jobs[0].name, jobs[0].data);
  else await queue.addBulk(jobs);
}

// Unknown fields are a 400, as in Leadwire (Fastify would silently drop them by default).
const app = Fastify({
  logger: false,
  bodyLimit: 1_048_576,
  ajv: { customOptions: { removeAdditional: false } },
});
const fail = (reply, status, code, message) => reply.status(status).send({ message, code, details: [] });

// Twilio posts forms; the rest is JSON.
app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body)));
});

app.register(
  async (v1) => {
    v1.addHook("onRequest", async (request, reply) => {
      const key = request.headers["x-api-key"];
      const orgId = typeof key === "string" && key !== "" ? await orgOfKey(sha256(key)) : undefined;
      if (orgId === undefined) return fail(reply, 403, "FORBIDDEN", "Missing or unknown API key.");
      request.orgId = orgId;
    });

    const json = { type: "object" };
    const text = { type: "string", minLength: 1, maxLength: 200 };
    v1.post(
      "/leads/create",
      {
        schema: {
          body: {
            type: "object",
            additionalProperties: false,
            required: ["firstName", "lastName", "phone", "customerProfile"],
            properties: {
              firstName: text,
              lastName: text,
              phone: { type: "string", pattern: "^\\+[0-9 ()-]{8,24}$" },
              customerProfile: text,
              timeZone: text,
              email: { type: "string", format: "email" },
              externalLeadId: text,
              additionalInfo: json,
            },
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const phone = `+${b.phone.replace(/\D/g, "")}`;
        if (phone.length < 9 || phone.length > 16)
          return fail(reply, 400, "VALIDATION_FAILED", "phone: not a possible phone number");
        const id = randomUUID();
        try {
          await store.insertLead({
            id,
            orgId: request.orgId,
            firstName: b.firstName,
            lastName: b.lastName,
            phone,
            email: b.email ?? null,
            timeZone: b.timeZone ?? null,
            externalLeadId: b.externalLeadId ?? null,
            customerProfile: b.customerProfile,
            additionalInfo: b.additionalInfo ?? {},
            now: new Date().toISOString(),
          });
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          return reply
            .status(409)
            .send({ message: "A lead with this phone exists.", code: "CONFLICT", id: error.id });
        }
        return { message: "Lead created successfully.", id };
      },
    );

    v1.patch(
      "/leads/:leadId",
      {
        schema: {
          params: { type: "object", properties: { leadId: { type: "string", maxLength: 100 } } },
          body: {
            type: "object",
            additionalProperties: false,
            properties: { additionalInfo: json },
          },
        },
      },
      async (request, reply) => {
        const info = request.body.additionalInfo ?? {};
        const result = await store.patchInfo(
          request.orgId,
          request.params.leadId,
          info,
          new Date().toISOString(),
        );
        if (result === undefined) return fail(reply, 404, "NOT_FOUND", "Lead not found.");
        if (Object.keys(result.changes).length > 0) {
          const { lead } = result;
          await emit(request.orgId, "lead.additionalInfo.updated", {
            leadId: lead.id,
            phone: lead.phone,
            ...(lead.external_lead_id === null ? {} : { externalLeadId: lead.external_lead_id }),
            additionalInfo: result.changes,
          });
        }
        return { message: "Lead updated successfully." };
      },
    );

    v1.post(
      "/webhooks/endpoints",
      {
        schema: {
          body: {
            type: "object",
            additionalProperties: false,
            required: ["url"],
            properties: {
              url: { type: "string", pattern: "^https?://" },
              events: { type: "array", items: { type: "string" }, minItems: 1 },
              secret: { type: "string", minLength: 16 },
              description: { type: "string" },
            },
          },
        },
      },
      async (request) => {
        const b = request.body;
        const endpoint = {
          id: `whe_${randomUUID()}`,
          orgId: request.orgId,
          url: b.url,
          secret: b.secret ?? `whsec_${randomBytes(24).toString("base64")}`,
          events: b.events ?? ["*"],
          description: b.description ?? null,
          now: new Date().toISOString(),
        };
        await store.insertEndpoint(endpoint);
        endpointsOf.forget(request.orgId);
        return { id: endpoint.id, url: endpoint.url, events: endpoint.events, secret: endpoint.secret };
      },
    );
  },
  { prefix: "/v1" },
);

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL and the sorted parameters. */
function twilioSigned(url, params, header) {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  const expected = Buffer.from(createHmac("sha1", TWILIO_AUTH_TOKEN).update(data, "utf8").digest("base64"));
  const given = Buffer.from(String(header ?? ""));
  return TWILIO_AUTH_TOKEN !== "" && expected.length === given.length && timingSafeEqual(expected, given);
}

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

app.post("/inbound/twilio/sms", async (request, reply) => {
  const params = request.body ?? {};
  if (!twilioSigned(`${PUBLIC_URL}${request.url}`, params, request.headers["x-twilio-signature"]))
    return fail(reply, 403, "FORBIDDEN", "Invalid X-Twilio-Signature.");
  const { MessageSid: sid, From: from, To: to, Body: body = "" } = params;
  if (!sid || !from || !to) return fail(reply, 400, "VALIDATION_FAILED", "Not a Twilio inbound message.");
  const orgId = await store.ownerOf(to);
  const result =
    orgId === undefined
      ? undefined
      : await store.inbound(orgId, from, randomUUID(), sid, body, new Date().toISOString());
  if (result === undefined) return reply.status(503).header("content-type", "text/xml").send(TWIML);
  if (!result.duplicate) {
    const { lead } = result;
    await emit(orgId, "message.received", {
      leadId: lead.id,
      ...(lead.external_lead_id === null ? {} : { externalLeadId: lead.external_lead_id }),
      phone: lead.phone,
      channel: "sms",
      profile: lead.customer_profile,
      content: { text: body },
    });
  }
  return reply.header("content-type", "text/xml").send(TWIML);
});

const shutdown = async () => {
  await app.close();
  await queue.close();
  redis.disconnect();
  await store.close();
  process.exit(0);
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);

await app.listen({ port: Number(env.PORT ?? 0), host: env.HOST ?? "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ msg: "listening", port: app.server.address().port })}\n`);
