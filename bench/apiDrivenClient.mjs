// The load generator of bench/apiDriven.mjs, in its own process: one undici Agent (32 connections,
// keep-alive) used for every request of a run, to Leadwire, to the peer and to the receiver alike.
// The parent sends {type:"run", id, spec}; this answers {type:"done", id, result} where result has,
// per request i, when it was sent and when its answer was complete (ms since the epoch). Each body
// carries the marker `BM-<phase>-<i>-`, which the receiver (receiver.mjs, RECORD_MARKERS=1) reads.
import { createHmac, randomBytes } from "node:crypto";
import { Agent, request } from "undici";

const IN_FLIGHT = 32;
const agent = new Agent({ connections: IN_FLIGHT, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
const now = () => performance.timeOrigin + performance.now();

export const marker = (phase, i) => `BM-${phase}-${i}-`;

/** Twilio's X-Twilio-Signature over the URL it calls and the form's parameters sorted by name. */
export function twilioSignature(url, params, authToken) {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

const json = (key) => ({ "content-type": "application/json", ...(key ? { "x-api-key": key } : {}) });

/** The i-th request of a spec: { url, method, headers, body }. */
function build(spec, i) {
  const tag = marker(spec.phase, i);
  switch (spec.kind) {
    case "patch":
    case "raw": {
      const body = JSON.stringify({ additionalInfo: { benchSeq: tag } });
      if (spec.kind === "raw") return { url: spec.url, method: "POST", headers: json(), body };
      const leadId = spec.leadIds[i % spec.leadIds.length];
      return { url: `${spec.base}/v1/leads/${leadId}`, method: "PATCH", headers: json(spec.key), body };
    }
    case "create": {
      const n = spec.phoneOffset + i;
      const body = JSON.stringify({
        firstName: `Lead${n}`,
        lastName: "Bench",
        phone: `+1 202 ${String(2_000_000 + n).padStart(7, "0")}`,
        customerProfile: spec.profile,
        additionalInfo: { source: tag },
      });
      return { url: `${spec.base}/v1/leads/create`, method: "POST", headers: json(spec.key), body };
    }
    case "sms": {
      const params = {
        AccountSid: spec.accountSid,
        MessageSid: `SM${randomBytes(16).toString("hex")}`,
        From: spec.phones[i % spec.phones.length],
        To: spec.to,
        Body: `${tag} Thanks, I will look at it tonight.`,
        NumMedia: "0",
      };
      const path = "/inbound/twilio/sms";
      return {
        url: `${spec.base}${path}`,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilioSignature(`${spec.publicUrl}${path}`, params, spec.authToken),
        },
        body: new URLSearchParams(params).toString(),
      };
    }
    default:
      throw new Error(`unknown kind ${spec.kind}`);
  }
}

async function run(spec) {
  const total = spec.mode === "paced" ? Math.round(spec.rate * spec.seconds) : spec.n;
  const sent = new Array(total).fill(0);
  const done = new Array(total).fill(0);
  const ids = spec.kind === "create" ? new Array(total).fill(null) : undefined;
  const failures = [];
  const one = async (i) => {
    const r = build(spec, i);
    sent[i] = now();
    try {
      const res = await request(r.url, {
        method: r.method,
        headers: r.headers,
        body: r.body,
        dispatcher: agent,
      });
      const text = await res.body.text();
      done[i] = now();
      if (res.statusCode < 200 || res.statusCode >= 300) {
        failures.push(`${r.method} ${r.url} → ${res.statusCode} ${text.slice(0, 300)}`);
      } else if (ids) ids[i] = JSON.parse(text).id;
    } catch (error) {
      done[i] = now();
      failures.push(`${r.method} ${r.url} → ${error?.message ?? error}`);
    }
  };
  if (spec.mode === "paced") {
    // Open loop: request i leaves at start + i / rate whatever the answers before it.
    const interval = 1000 / spec.rate;
    const start = now() + 5;
    const pending = [];
    for (let i = 0; i < total; i++) {
      const wait = start + i * interval - now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(one(i));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    const lane = async () => {
      while (next < total) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(spec.concurrency ?? IN_FLIGHT, IN_FLIGHT) }, lane));
  }
  return { sent, done, ids, failures: failures.length, examples: failures.slice(0, 5) };
}

process.on("message", (message) => {
  if (message.type === "run")
    run(message.spec).then(
      (result) => process.send?.({ type: "done", id: message.id, result }),
      (error) => process.send?.({ type: "done", id: message.id, error: String(error?.stack ?? error) }),
    );
  if (message.type === "exit") agent.close().then(() => process.exit(0));
});
process.send?.({ type: "ready" });
