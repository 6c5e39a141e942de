import Fastify, { type HTTPMethods } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ADMIN_KEY, startTestApp, type TestApp } from "../../../test/harness.js";
import { type PathFixtures, seedPathFixtures } from "../../../test/pathFixtures.js";
import { orgIdOf } from "../../../test/webhookFixtures.js";
import type { RegisterRoute, RouteDeps } from "../types.js";
import { publicRoutes, v1Routes, v1SignInRoutes } from "./index.js";
import type { ImportLeadsResponse } from "./leads/importLeads.js";
import type { ListDeliveriesResponse } from "./webhooks/listDeliveries.js";

/**
 * Every route of the lists in routes/index.ts, walked as a table: read from Fastify's onRoute
 * hook while the lists are registered on a throwaway instance, so a route added to a list is
 * walked without anyone adding it here. Without a key (or with an unknown one) every route
 * answers 403 in the error body (api.md: "A missing or unknown key gets 403"), unless PUBLIC
 * names it; with another org's key, every route whose path names a row answers 404.
 */

/**
 * The routes that answer without an API key or a session, each with its reason. This is the
 * one list of them: a route that is not here must refuse a request without a key.
 */
const PUBLIC: Record<string, string> = {
  "GET /healthz": "liveness probe for load balancers and orchestrators; tells nothing about any org",
  "GET /readyz": "readiness probe: the database answers and migrations are applied",
  "GET /metrics": "Prometheus scrape on the operator's network: process and webhook counters, no org data",
  "POST /inbound/twilio/sms":
    "Twilio's inbound-SMS webhook: X-Twilio-Signature, checked with the owning org's token",
  "POST /inbound/twilio/status": "Twilio's status callback: X-Twilio-Signature",
  "POST /inbound/email/:token":
    "inbound mail from the org's mail pipeline: the secret token in the path is the credential",
  "POST /inbound/email/:token/events":
    "bounces and complaints from the same pipeline: the same per-org token",
  "GET /unsubscribe/:token":
    "the List-Unsubscribe link a lead follows: a confirmation page; the token is the credential",
  "POST /unsubscribe/:token":
    "RFC 8058 one-click unsubscribe from the lead's mail client; the token is the credential",
  "POST /v1/sessions":
    "signing in: the API key is in the body, checked by the route (rate-limited per address)",
  // Registered by server.ts itself, outside the route lists (so not walked; checked to exist):
  "GET /openapi.json": "the API's OpenAPI document, generated from the route schemas",
  "GET /docs": "the API docs UI (@fastify/swagger-ui) over that document",
};

/**
 * Path parameters that name no row of an org: every org has its own answer for them, so another
 * org's key gets that answer, not a 404.
 */
const NOT_A_ROW: Record<string, string> = {
  phone: "the do-not-contact list is per org: any org may ask about, add or remove any number",
};

/**
 * Inputs for the routes whose body or query string must have fields before the route runs (a
 * 400 would hide the 404). Other routes get `{}`, or nothing when they take no body.
 */
const VALID_INPUT: Record<string, { body?: unknown; query?: string }> = {
  "GET /v1/leads/:leadId/events": { query: "since=2024-01-01T00:00:00Z" },
  "POST /v1/leads/:leadId/addContext": { body: { context: "a note" } },
  "POST /v1/leads/:leadId/sendMessage": { body: { message: "hello" } },
  "POST /v1/leads/:leadId/switchCustomerProfile": { body: { profile: "Fuzz" } },
  "PUT /v1/leads/:leadId/tags": { body: { tagIds: [] } },
  "POST /v1/leads/:leadId/tags/remove": { body: { tagIds: [] } },
  "POST /v1/webhooks/endpoints/:endpointId/recover": { body: { since: "2024-01-01T00:00:00Z" } },
  "POST /v1/messages/:messageId/resolve": { body: { resolution: "sent" } },
};

interface Route {
  method: HTTPMethods;
  /** As Fastify has it: `/v1/leads/:leadId`. */
  url: string;
  /** The route's zod schemas, to tell whether `{}` passes. */
  body: unknown;
  querystring: unknown;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const satisfies HTTPMethods[];

const nameOf = (route: Route) => `${route.method} ${route.url}`;
const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? "");

/** The routes the lists register, with the prefixes server.ts gives them (HEAD is GET's). */
async function registeredRoutes(deps: RouteDeps): Promise<Route[]> {
  const routes: Route[] = [];
  const recorder = Fastify().withTypeProvider<ZodTypeProvider>();
  recorder.setValidatorCompiler(validatorCompiler);
  recorder.setSerializerCompiler(serializerCompiler);
  recorder.addHook("onRoute", (options) => {
    for (const method of [options.method].flat()) {
      if (method === "HEAD") continue;
      routes.push({
        method,
        url: options.url,
        body: options.schema?.body,
        querystring: options.schema?.querystring,
      });
    }
  });
  const lists: [string, RegisterRoute[]][] = [
    ["", publicRoutes],
    ["/v1", v1SignInRoutes],
    ["/v1", v1Routes],
  ];
  for (const [prefix, list] of lists) {
    await recorder.register(
      async (scope) => {
        for (const register of list) register(scope.withTypeProvider<ZodTypeProvider>(), deps);
      },
      { prefix },
    );
  }
  await recorder.ready();
  await recorder.close();
  return routes;
}

/** Whether a zod schema takes `value` (a route without that schema takes anything). */
function accepts(schema: unknown, value: unknown): boolean {
  return !(schema instanceof z.ZodType) || schema.safeParse(value).success;
}

/** The route's path with a fixture for each parameter. */
function pathOf(route: Route): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    const value = fixtures[name];
    if (value === undefined)
      throw new Error(`${nameOf(route)}: no fixture for :${name}; make one in the beforeAll of this file`);
    return value;
  });
}

/** A request the route runs with: fixtures in the path, and a valid query and body. */
function requestFor(route: Route): { url: string; body?: unknown } {
  const path = pathOf(route);
  const input = VALID_INPUT[nameOf(route)] ?? {};
  if (input.query === undefined && !accepts(route.querystring, {}))
    throw new Error(`${nameOf(route)} needs query parameters: give it a query in VALID_INPUT`);
  if (input.body === undefined && route.body !== undefined && !accepts(route.body, {}))
    throw new Error(`${nameOf(route)} needs a body: give it one in VALID_INPUT`);
  const url = input.query === undefined ? path : `${path}?${input.query}`;
  const body = input.body ?? (route.body === undefined ? undefined : {});
  return body === undefined ? { url } : { url, body };
}

/** The one error body of the API (api.md), nothing more. */
const errorBodySchema = z.strictObject({
  message: z.string().min(1),
  code: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })),
});

let t: TestApp;
let routes: Route[];
/** Rows of the admin key's org, one per kind a path names. */
let fixtures: PathFixtures;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });
  routes = await registeredRoutes({
    ctx: t.app.ctx,
    config: t.app.config,
    database: t.app.database,
    logger: t.app.logger,
    webhooks: t.app.webhooks,
    // Handlers never run on the throwaway instance: these two are never called.
    metrics: new Registry(),
    assistantFor: () => {
      throw new Error("not called: the routes are only registered");
    },
  });
  fixtures = await seedPathFixtures(t, ADMIN_KEY);
  // A delivery: an event after the endpoint exists fans out to it.
  await t.patch(`/v1/leads/${fixtures.leadId}`, { additionalInfo: { walked: true } });
  const deliveries = await t.get<ListDeliveriesResponse>(
    `/v1/webhooks/deliveries?endpointId=${fixtures.endpointId}`,
  );
  const [delivery] = deliveries.body.deliveries;
  if (delivery === undefined) throw new Error(`no delivery to walk with: ${deliveries.text}`);
  fixtures.deliveryId = delivery.id;
  const imported = await t.post<ImportLeadsResponse>(
    "/v1/leads/import?profile=Fuzz&dryRun=true",
    "Name,Phone\nAda Walk,+12025550143",
    { headers: { "content-type": "text/csv" } },
  );
  if (imported.status !== 202) throw new Error(`no import to walk with: ${imported.text}`);
  fixtures.importId = imported.body.id;
  // A text no lead took, for the admin key's org (as inbound routing stores one).
  fixtures.messageSid = "SMwalk0000000000000000000000000001";
  await t.app.database.db
    .insertInto("unrouted_inbound")
    .values({
      provider: "twilio",
      message_sid: fixtures.messageSid,
      org_id: await orgIdOf(t, ADMIN_KEY),
      from_address: "+12025550199",
      to_address: "+12025550100",
      body: "hello?",
      params: "{}",
      reason: "no lead has this phone",
      received_at: t.clock.now().toISOString(),
    })
    .execute();
}, 120_000);
afterAll(() => t.close());

describe("the route table", () => {
  it("is read from the lists, and each route is one the server answers", () => {
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) {
      const served = t.app.http.hasRoute({ method: route.method, url: route.url });
      expect(served, `${nameOf(route)} is not served as the lists say`).toBe(true);
    }
  });

  it("names in PUBLIC only routes that exist", () => {
    const walked = new Set(routes.map(nameOf));
    for (const name of Object.keys(PUBLIC)) {
      const [verb, url = ""] = name.split(" ");
      const method = METHODS.find((m) => m === verb);
      expect(method, `PUBLIC names ${name}: not a method the API uses`).toBeDefined();
      const exists = walked.has(name) || (method !== undefined && t.app.http.hasRoute({ method, url }));
      expect(exists, `PUBLIC names ${name}, which no longer exists`).toBe(true);
    }
  });
});

describe("every route but the public ones", () => {
  it("refuses a request without a key, or with an unknown key, with 403 in the error body", async () => {
    const guarded = routes.filter((route) => PUBLIC[nameOf(route)] === undefined);
    expect(guarded.length).toBeGreaterThan(50);
    for (const route of guarded) {
      // The key is checked first, before the path, the query and the body.
      const url = pathOf(route);
      for (const key of [null, "lw_not_a_key_0123456789abcdef"]) {
        const res = await t.request(route.method, url, { key });
        const where = `${nameOf(route)} with ${key === null ? "no key" : "an unknown key"}`;
        expect(res.status, `${where}: ${res.text}`).toBe(403);
        const error = errorBodySchema.safeParse(res.body);
        expect(error.error?.issues ?? [], where).toEqual([]);
        expect(error.data?.code, where).toBe("UNAUTHORIZED");
      }
    }
  });
});

describe("every route whose path names a row", () => {
  const rowRoutes = () =>
    routes.filter(
      (route) =>
        PUBLIC[nameOf(route)] === undefined &&
        paramsOf(route.url).length > 0 &&
        paramsOf(route.url).every((param) => NOT_A_ROW[param] === undefined),
    );

  it("answers the owner's key on a read", async () => {
    for (const route of rowRoutes().filter((r) => r.method === "GET")) {
      const res = await t.get(requestFor(route).url);
      expect(res.status, `${nameOf(route)} as the owner: ${res.text}`).toBe(200);
    }
  });

  it("answers another org's key with 404 in the error body, and changes nothing", async () => {
    const other = await t.newOrg();
    const walked = rowRoutes();
    expect(walked.length).toBeGreaterThan(25);
    for (const route of walked) {
      const { url, body } = requestFor(route);
      const res = await t.request(route.method, url, { key: other, body });
      expect(res.status, `${nameOf(route)} as another org: ${res.text}`).toBe(404);
      const error = errorBodySchema.safeParse(res.body);
      expect(error.error?.issues ?? [], nameOf(route)).toEqual([]);
      expect(error.data?.code, nameOf(route)).toBe("NOT_FOUND");
    }
    // The other org's deletes and changes reached nothing: every read still answers the owner.
    for (const route of walked.filter((r) => r.method === "GET")) {
      expect((await t.get(requestFor(route).url)).status, nameOf(route)).toBe(200);
    }
  });
});
