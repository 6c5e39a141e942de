import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import type { AssistantFor } from "../domain/assistant/assistantFor.js";
import type { Caller, DomainContext } from "../domain/context.js";
import { DomainError } from "../domain/errors.js";
import type { WebhookActions } from "../domain/webhooks/types.js";

export type ZodApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route handlers may use; built once in app.ts. */
export interface RouteDeps {
  ctx: DomainContext;
  config: Config;
  database: Database;
  logger: Logger;
  webhooks: WebhookActions;
  metrics: Registry;
  /** The brain an org's settings choose (addContext commands). */
  assistantFor: AssistantFor;
}

export type RegisterRoute = (app: ZodApp, deps: RouteDeps) => void;

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | undefined;
    /** The browser session that authenticated the request; undefined with `x-api-key`. */
    session: { id: string; expiresAt: string } | undefined;
  }
}

/** The authenticated caller of a `/v1` route (the auth hook guarantees one). */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === undefined) throw new DomainError("UNAUTHORIZED", "Missing or invalid API key.");
  return request.caller;
}
