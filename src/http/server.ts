import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { requestAuth } from "./auth.js";
import { frameworkErrors, installErrorHandling } from "./errorHandler.js";
import { installInputGuards } from "./inputGuards.js";
import { registerRateLimit } from "./rateLimit.js";
import { publicRoutes, v1Routes, v1SignInRoutes } from "./routes/index.js";
import type { RouteDeps, ZodApp } from "./types.js";
import { registerWebApp, webAppDirectory } from "./webApp.js";

export const BODY_LIMIT_BYTES = 1024 * 1024;
const MAX_PATH_PARAM_LENGTH = 16 * 1024;

export async function buildHttpServer(deps: RouteDeps, version: string): Promise<ZodApp> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Per-request lines only when debugging: at volume they drown what matters.
    logController: new LogController({
      disableRequestLogging: deps.config.logLevel !== "debug" && deps.config.logLevel !== "trace",
    }),
    // Behind a proxy the client address comes from X-Forwarded-For; harmless when direct.
    trustProxy: true,
    frameworkErrors,
    // Longer than any id we issue, so an overlong one reaches its route and is refused there by
    // name (400 naming the parameter) instead of falling through to "no route".
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("caller", undefined);
  app.decorateRequest("session", undefined);
  // The API speaks JSON only; anything else is a clear 415 instead of a confusing 400.
  app.removeContentTypeParser("text/plain");
  installErrorHandling(app);
  installInputGuards(app);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Leadwire API", version },
      components: {
        securitySchemes: {
          apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
          session: { type: "apiKey", in: "cookie", name: "lw_session" },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id in zod's registry (`.meta({ id })`) go to components/schemas once and are
    // referred to by $ref: `<id>Input` in requests, `<id>` in responses. A recursive schema needs
    // one (domain/leads/additionalInfo.ts): without it, its cycle refers to a component never written.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  for (const register of publicRoutes) register(app, deps);
  await app.register(
    async (signIn) => {
      // Limited per client address here: there is no key yet to count by.
      await registerRateLimit(signIn as ZodApp, deps.config.apiRateLimitPerMinute);
      for (const register of v1SignInRoutes) register(signIn as ZodApp, deps);
    },
    { prefix: "/v1" },
  );
  await app.register(
    async (v1) => {
      v1.addHook("onRequest", requestAuth(deps.ctx, deps.config.publicUrl));
      await registerRateLimit(v1 as ZodApp, deps.config.apiRateLimitPerMinute);
      for (const register of v1Routes) register(v1 as ZodApp, deps);
    },
    { prefix: "/v1" },
  );
  await registerWebApp(app, webAppDirectory());
  return app;
}
