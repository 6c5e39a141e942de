import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAppForFile } from "../../../../test/harness.js";
import { type Receiver, startReceiver } from "../../../../test/receiver.js";
import { eventSource } from "../../../../test/webhookFixtures.js";
import type { CreateEndpointResponse } from "../webhooks/createEndpoint.js";
import type { TestEndpointResponse } from "../webhooks/testEndpoint.js";

interface Family {
  help: string;
  type: string;
}

interface Exposition {
  families: Map<string, Family>;
  /** Each sample by its name and labels as written, e.g. `x_total{outcome="succeeded"}`. */
  samples: Map<string, number>;
}

// The text format 0.0.4: `# HELP name text`, `# TYPE name type`, then `name{label="value",…} number`.
const HELP = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/;
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)$/;

/** Parses the exposition, failing on any line that is not HELP, TYPE or a sample. */
function parse(text: string): Exposition {
  const families = new Map<string, Family>();
  const samples = new Map<string, number>();
  const help = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const h = HELP.exec(line);
    const ty = TYPE.exec(line);
    const s = SAMPLE.exec(line);
    if (h?.[1] !== undefined && h[2] !== undefined) help.set(h[1], h[2]);
    else if (ty?.[1] !== undefined && ty[2] !== undefined)
      families.set(ty[1], { help: help.get(ty[1]) ?? "", type: ty[2] });
    else if (s?.[1] !== undefined && s[2] !== undefined) {
      // Go's float syntax: NaN and ±Inf in any case (prom-client writes `Nan`).
      expect(s[2], `not a number: ${line}`).toMatch(/^([-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?|nan|[-+]?inf)$/i);
      samples.set(s[1], Number(s[2]));
    } else throw new Error(`not a line of the Prometheus text format: ${line}`);
  }
  return { families, samples };
}

const t = testAppForFile({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function scrape(): Promise<Exposition> {
  const res = await t.get("/metrics", { key: null });
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  return parse(res.text);
}

/** A sample's value; 0 for a labelled series that has not been observed yet. */
const sampleValue = (exposition: Exposition, sample: string) => exposition.samples.get(sample) ?? 0;

describe("GET /metrics", () => {
  it("serves the Prometheus text format without a key: every family with HELP and TYPE", async () => {
    const { families, samples } = await scrape();
    expect(families.get("leadwire_webhook_attempts_total")).toEqual({
      help: expect.stringContaining("Webhook delivery attempts by outcome"),
      type: "counter",
    });
    expect(families.get("leadwire_webhook_attempt_duration_seconds")?.type).toBe("histogram");
    expect(families.get("leadwire_webhook_deliveries_pending")?.type).toBe("gauge");
    // The default process metrics are there too.
    expect(families.get("process_cpu_user_seconds_total")?.type).toBe("counter");
    for (const [name, family] of families) expect(family.help, name).not.toBe("");
    // Every sample belongs to a declared family (histograms add _bucket, _sum and _count).
    for (const sample of samples.keys()) {
      const name = sample.replace(/\{.*$/, "");
      const family = name.replace(/_(bucket|sum|count)$/, "");
      expect(families.has(name) || families.has(family), sample).toBe(true);
    }
  });

  it("counts a webhook attempt made by a request, and the deliveries waiting", async () => {
    const key = t.key;
    const created = await t.post<CreateEndpointResponse>(
      "/v1/webhooks/endpoints",
      { url: `${receiver.url}/hook`, events: ["lead.additionalInfo.updated"] },
      { key },
    );
    expect(created.status, created.text).toBe(201);
    const before = await scrape();

    // A test event is sent while the request waits: one succeeded attempt, timed.
    const sent = await t.post<TestEndpointResponse>(
      `/v1/webhooks/endpoints/${created.body.id}/test`,
      {},
      { key },
    );
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.succeeded).toBe(true);
    const after = await scrape();
    const succeeded = 'leadwire_webhook_attempts_total{outcome="succeeded"}';
    expect(sampleValue(after, succeeded)).toBe(sampleValue(before, succeeded) + 1);
    const timed = "leadwire_webhook_attempt_duration_seconds_count";
    expect(sampleValue(after, timed)).toBe(sampleValue(before, timed) + 1);

    // A lead change fans out to the endpoint: one more delivery waits for the dispatcher.
    const source = await eventSource(t, key);
    await source.emit();
    const pending = "leadwire_webhook_deliveries_pending";
    expect(sampleValue(await scrape(), pending)).toBe(sampleValue(after, pending) + 1);
  });
});
